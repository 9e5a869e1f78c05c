package io.labhooks.normalizer.adapter;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The per-analyte verdict, from the compound's {@code limit} (a value over it fails, equal passes) and its range
 * {@code limitrangelow}..{@code limitrangehigh} (outside fails; with one bound only that bound applies).
 * <ul>
 *   <li>{@code none}: no limit and no range bound, or no value reported at all;</li>
 *   <li>a number: {@code fail} when over {@code limit}, under {@code limitrangelow} or over {@code limitrangehigh},
 *       else {@code pass};</li>
 *   <li>censored below a bound ({@code ND} or {@code <LOD}: the lod; {@code <LOQ}: the loq; {@code <0.5}: 0.5):
 *       {@code pass} when the bound is at most every upper limit (an unknown bound counts as under it), else
 *       {@code inconclusive}; with a lower range bound, {@code fail} when the bound is at most the lower bound,
 *       else {@code inconclusive};</li>
 *   <li>censored above a bound ({@code >ULOQ}: the {@code max}; {@code >5}: 5): {@code fail} when the bound is at
 *       least an upper limit, else {@code inconclusive};</li>
 *   <li>any other text (e.g. {@code NT}, or {@code 1e999}, a number too large to keep): {@code inconclusive}.</li>
 * </ul>
 */
final class ConfidentVerdict {
    static final String PASS = "pass";
    static final String FAIL = "fail";
    static final String INCONCLUSIVE = "inconclusive";
    static final String NONE = "none";

    private ConfidentVerdict() {
    }

    /** The limits of one compound, in the unit of its value. */
    record Limits(BigDecimal lod, BigDecimal loq, BigDecimal max, BigDecimal limit, BigDecimal low, BigDecimal high) {
        BigDecimal upper() {
            if (limit == null) {
                return high;
            }
            return high == null || limit.compareTo(high) <= 0 ? limit : high;
        }
    }

    static String of(BigDecimal value, String valueText, Limits l) {
        BigDecimal upper = l.upper();
        if (upper == null && l.low() == null) {
            return NONE;
        }
        if (value != null) {
            boolean over = upper != null && value.compareTo(upper) > 0;
            boolean under = l.low() != null && value.compareTo(l.low()) < 0;
            return over || under ? FAIL : PASS;
        }
        String t = valueText == null ? "" : valueText.strip().toUpperCase(Locale.ROOT);
        if (t.isEmpty()) {
            return NONE;
        }
        if (t.equals("ND") || t.equals("NOT DETECTED") || t.equals("<LOD")) {
            return below(l.lod(), upper, l.low());
        }
        if (t.equals("<LOQ")) {
            return below(l.loq(), upper, l.low());
        }
        if (t.startsWith("<")) {
            BigDecimal bound = ConfidentValues.parseDecimal(t.substring(1));
            return bound == null ? INCONCLUSIVE : below(bound, upper, l.low());
        }
        if (t.startsWith(">")) {
            BigDecimal bound = t.equals(">ULOQ") ? l.max() : ConfidentValues.parseDecimal(t.substring(1));
            return bound != null && upper != null && bound.compareTo(upper) >= 0 ? FAIL : INCONCLUSIVE;
        }
        return INCONCLUSIVE;
    }

    /** The value is under {@code bound} (unknown when null). */
    private static String below(BigDecimal bound, BigDecimal upper, BigDecimal low) {
        if (low != null) {
            return bound != null && bound.compareTo(low) <= 0 ? FAIL : INCONCLUSIVE;
        }
        return bound != null && bound.compareTo(upper) > 0 ? INCONCLUSIVE : PASS;
    }
}
