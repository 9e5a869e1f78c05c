package io.labhooks.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Webhook bodies of an exact size: a Flabs {@code bill.completed} delivery (the shape in
 * {@code vendor-docs/flabs-webhooks.txt}) with a few tests and their results, padded with a notes field
 * to the requested size. The bill id, integrator id, report URL and event time change with the sequence
 * number, so no two bodies are equal. {@link #body(long)} costs one array copy and a few digit writes,
 * so the load client spends its time on HTTP, not on JSON.
 */
public final class Payloads {
    private static final String SEQ = "SSSSSSSSSSSS";
    private static final String TIME = "TTTTTTTTTT";
    private static final long BASE_EVENT_TIME = 1_705_747_800L;
    private static final String[][] TESTS = {
        {"Complete Blood Count", "Haemoglobin", "13.5", "g/dL", "12.0-15.5"},
        {"Lipid Profile", "LDL Cholesterol", "112", "mg/dL", "0-130"},
        {"Thyroid Profile", "TSH", "2.41", "uIU/mL", "0.27-4.20"},
        {"Liver Function Test", "ALT (SGPT)", "28", "U/L", "7-56"},
        {"Kidney Function Test", "Creatinine", "0.92", "mg/dL", "0.59-1.04"},
        {"HbA1c", "Glycated Haemoglobin", "5.4", "%", "4.0-5.6"},
        {"Vitamin D", "25-OH Vitamin D", "31.2", "ng/mL", "30-100"},
        {"Iron Studies", "Serum Ferritin", "64", "ng/mL", "13-150"},
        {"Urine Routine", "Specific Gravity", "1.015", "", "1.005-1.030"},
        {"Electrolytes", "Sodium", "139", "mmol/L", "135-145"},
        {"C-Reactive Protein", "CRP", "<0.5", "mg/L", "0-5"},
        {"Vitamin B12", "Cobalamin", "412", "pg/mL", "211-911"},
    };
    private static final String NOTES = "Sample received in good condition; processed on analyser 2; reviewed by the duty pathologist. ";

    private final byte[] template;
    private final int[] seqSlots;
    private final int timeSlot;

    /**
     * @param size the exact body size in bytes
     * @throws IllegalArgumentException if {@code size} is too small for the smallest realistic body
     */
    public Payloads(int size) {
        String head = "{\"labID\":\"lab_bench\",\"eventType\":\"bill.completed\",\"eventTime\":" + TIME
                + ",\"data\":{\"billID\":\"bill_" + SEQ + "\",\"integratorID\":\"int-" + SEQ
                + "\",\"billData\":{\"status\":\"completed\",\"patient\":{\"name\":\"Test Patient\",\"age\":42,\"gender\":\"F\"},\"testData\":[";
        String tail = "]},\"reportURL\":\"https://reports.flabs.in/bill/bill_" + SEQ + "\",\"notes\":\"";
        String end = "\"}}";
        List<String> tests = new ArrayList<>();
        int fixed = head.length() + tail.length() + end.length();
        int used = fixed;
        for (int i = 0; ; i++) {
            String t = test(i);
            int extra = t.length() + (tests.isEmpty() ? 0 : 1);
            if (used + extra > size) {
                break;
            }
            tests.add(t);
            used += extra;
        }
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("body size " + size + " is too small: a realistic body needs at least "
                    + (fixed + test(0).length()) + " bytes");
        }
        StringBuilder sb = new StringBuilder(size).append(head).append(String.join(",", tests)).append(tail);
        int pad = size - used;
        for (int i = 0; i < pad; i++) {
            sb.append(NOTES.charAt(i % NOTES.length()));
        }
        sb.append(end);
        this.template = sb.toString().getBytes(StandardCharsets.US_ASCII);
        if (template.length != size) {
            throw new IllegalStateException("built " + template.length + " bytes instead of " + size);
        }
        this.seqSlots = find(template, SEQ);
        int[] time = find(template, TIME);
        if (seqSlots.length != 3 || time.length != 1) {
            throw new IllegalStateException("template placeholders not found");
        }
        this.timeSlot = time[0];
    }

    private static String test(int i) {
        String[] t = TESTS[i % TESTS.length];
        return String.format("{\"_id\":\"test_%03d\",\"name\":\"%s\",\"status\":\"completed\",\"results\":[{\"parameter\":\"%s\","
                + "\"value\":\"%s\",\"unit\":\"%s\",\"range\":\"%s\",\"flag\":\"normal\"}]}", i + 1, t[0], t[1], t[2], t[3], t[4]);
    }

    public int size() {
        return template.length;
    }

    /** The body for one sequence number (0 to 10^12 - 1): a fresh array that the caller may keep. */
    public byte[] body(long seq) {
        if (seq < 0 || seq >= 1_000_000_000_000L) {
            throw new IllegalArgumentException("sequence out of range: " + seq);
        }
        byte[] b = template.clone();
        for (int slot : seqSlots) {
            digits(b, slot, SEQ.length(), seq);
        }
        digits(b, timeSlot, TIME.length(), BASE_EVENT_TIME + seq);
        return b;
    }

    private static void digits(byte[] b, int at, int width, long value) {
        long v = value;
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    private static int[] find(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        List<Integer> at = new ArrayList<>();
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            at.add(i);
            i += n.length - 1;
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }
}
