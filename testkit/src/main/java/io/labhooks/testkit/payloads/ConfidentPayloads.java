package io.labhooks.testkit.payloads;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Realistic Confident LIMS {@code sample.publish} payloads (the Sample Payload of Confident's webhook document),
 * generated deterministically from a seed: the same arguments give the same JSON on every JVM
 * ({@link java.util.Random} is specified bit for bit).
 *
 * <p>{@link #panel} is a full cannabis compliance panel: all eleven lab_data categories and
 * {@value #PANEL_ANALYTES} compounds, about 35 KB of JSON. Values are strings as Confident sends them, with
 * {@code "ND"} and {@code "<LOQ"} where an analyte was not detected or not quantifiable. Each category's status
 * follows its values: 2 (fail) when a value is over its limit, 1 (pass) otherwise, 3 (completed) for categories
 * without limits (cannabinoids, terpenes). Roughly one seed in three has one failing analyte, in microbials,
 * metals, mycotoxins or pesticides; lab_data.status is then 2.
 *
 * <p>Units ({@code input_units}, the unit the values are in / {@code report_units}, the certificate's): cannabinoids,
 * foreign matter, homogeneity and moisture {@code %}/{@code %}, microbials {@code CFU/g}/{@code CFU/g}, metals
 * {@code ppb}/{@code ppb}, mycotoxins {@code ppb}/{@code µg/kg}, pesticides {@code ppm}/{@code mg/kg}, solvents
 * {@code ppm}/{@code ppm}; terpenes give only {@code input_units: mg/g} (no report_units: the documented default
 * {@code %} applies), and water activity gives no units at all (the documented default {@code aw} applies).
 *
 * <p>Every compound carries all twelve documented fields: {@code name, value, lod, loq, limit, max} (the upper limit
 * of quantitation), {@code stdev, regulatornotes, rsd, rpd, limitrangelow, limitrangehigh}; moisture is limited to
 * the range 5..15 % and water activity to at most 0.65 aw. Every category carries the documented info fields
 * (date_tested, method, digits, units, footnote, notes, signatory; dry and wet weights, reported_as_wet and
 * secondary report units where the document lists them). About one seed in six has a moisture outside its range
 * (its one failing analyte, beside the one above). These extra fields come from a second random stream, so the
 * values of the fields above are those of earlier versions of the generator.
 */
public final class ConfidentPayloads {
    /** The number of compounds in a {@link #panel}. */
    public static final int PANEL_ANALYTES = 157;

    /** The lab_data category keys of a panel, in payload order. */
    public static final List<String> CATEGORIES = List.of("cannabinoids", "foreign_matter", "homogeneity",
            "microbials", "metals", "moisture", "mycotoxins", "pesticides", "solvents", "terpenes", "water_activity");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final List<String> CANNABINOIDS = List.of("d9_thc", "thca", "d8_thc", "thcv", "thcva", "cbd",
            "cbda", "cbdv", "cbdva", "cbg", "cbga", "cbn", "cbc", "cbca", "cbl", "cbt", "total_thc", "total_cbd");
    private static final List<String> FOREIGN_MATTER = List.of("foreign_material", "insect_fragments", "hair",
            "mammalian_excreta", "mold_visual");
    private static final List<String> HOMOGENEITY = List.of("d9_thc", "total_thc");
    private static final List<String> MICROBIALS = List.of("total_aerobic_bacteria", "total_yeast_and_mold",
            "total_coliforms", "bile_tolerant_gram_negative_bacteria", "e_coli", "salmonella",
            "listeria_monocytogenes", "aspergillus_flavus", "aspergillus_fumigatus", "aspergillus_niger",
            "aspergillus_terreus");
    private static final List<String> METALS = List.of("arsenic", "cadmium", "lead", "mercury", "chromium",
            "copper", "nickel");
    private static final List<String> MYCOTOXINS = List.of("aflatoxin_b1", "aflatoxin_b2", "aflatoxin_g1",
            "aflatoxin_g2", "total_aflatoxins", "ochratoxin_a");
    private static final List<String> PESTICIDES = List.of("abamectin", "acephate", "acequinocyl", "acetamiprid",
            "aldicarb", "azoxystrobin", "bifenazate", "bifenthrin", "boscalid", "captan", "carbaryl", "carbofuran",
            "chlorantraniliprole", "chlordane", "chlorfenapyr", "chlorpyrifos", "clofentezine", "coumaphos",
            "cyfluthrin", "cypermethrin", "daminozide", "diazinon", "dichlorvos", "dimethoate", "dimethomorph",
            "ethoprophos", "etofenprox", "etoxazole", "fenhexamid", "fenoxycarb", "fenpyroximate", "fipronil",
            "flonicamid", "fludioxonil", "hexythiazox", "imazalil", "imidacloprid", "kresoxim_methyl", "malathion",
            "metalaxyl", "methiocarb", "methomyl", "methyl_parathion", "mevinphos", "myclobutanil", "naled",
            "oxamyl", "paclobutrazol", "pentachloronitrobenzene", "permethrin", "phosmet", "piperonyl_butoxide",
            "prallethrin", "propiconazole", "propoxur", "pyrethrins", "pyridaben", "spinetoram", "spinosad",
            "spiromesifen", "spirotetramat", "spiroxamine", "tebuconazole", "thiacloprid", "thiamethoxam",
            "trifloxystrobin");
    private static final List<String> SOLVENTS = List.of("acetone", "acetonitrile", "benzene", "butane",
            "chloroform", "1_2_dichloroethane", "ethanol", "ethyl_acetate", "ethyl_ether", "ethylene_oxide",
            "heptane", "hexane", "isopropyl_alcohol", "methanol", "methylene_chloride", "pentane", "propane",
            "toluene", "trichloroethylene", "total_xylenes");
    private static final List<String> SOLVENT_LIMITS = List.of("5000", "410", "1", "5000", "1", "1", "5000",
            "5000", "5000", "1", "5000", "290", "5000", "3000", "1", "5000", "5000", "890", "1", "2170");
    private static final List<String> TERPENES = List.of("alpha_pinene", "beta_pinene", "beta_myrcene",
            "limonene", "linalool", "beta_caryophyllene", "alpha_humulene", "terpinolene", "ocimene", "camphene",
            "delta_3_carene", "eucalyptol", "alpha_terpinene", "gamma_terpinene", "geraniol", "guaiol",
            "isopulegol", "nerolidol", "caryophyllene_oxide", "alpha_bisabolol");
    private static final List<String> STRAINS = List.of("Blue Dream", "Gelato #33", "Wedding Cake", "Sour Diesel",
            "Granddaddy Purple", "OG Kush", "Pineapple Express", "Durban Poison");

    private ConfidentPayloads() {
    }

    /** The way the generator writes timestamps: ISO-8601 with microseconds and an offset, e.g. {@code 2024-01-20T10:30:00.000000+00:00}. */
    public static String timestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    /** The smallest publishable sample: only {@code id} and {@code last_modified}. */
    public static ObjectNode minimal(String sampleId, Instant lastModified) {
        ObjectNode s = NODES.objectNode();
        s.put("id", sampleId);
        s.put("last_modified", timestamp(lastModified));
        return s;
    }

    /** A deep copy of {@code sample} with another {@code last_modified}: the next published revision. */
    public static ObjectNode revision(ObjectNode sample, Instant lastModified) {
        ObjectNode s = sample.deepCopy();
        s.put("last_modified", timestamp(lastModified));
        return s;
    }

    /** A full panel of {@value #PANEL_ANALYTES} compounds in all eleven categories, deterministic in its arguments. */
    public static ObjectNode panel(String sampleId, Instant lastModified, long seed) {
        Random r = new Random(seed);
        Instant received = lastModified.minus(3 + r.nextInt(5), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        LocalDate tested = LocalDate.ofInstant(received, ZoneOffset.UTC).plusDays(1);
        int clientId = 1000 + r.nextInt(9000);
        String strain = STRAINS.get(r.nextInt(STRAINS.size()));
        String orderId = "ORD-" + (200000 + r.nextInt(800000));

        ObjectNode s = NODES.objectNode();
        s.put("id", sampleId);
        s.put("order_id", orderId);
        s.put("client_id", clientId);
        s.put("order_status_id", 5);
        s.put("order_status_name", "Completed");
        s.put("sample_name", strain + " Flower " + (char) ('A' + r.nextInt(6)));
        s.put("strain_name", strain);
        s.put("sample_type_id", 2);
        s.put("sample_type_name", "Flower");
        s.put("sample_category_id", 1);
        s.put("sample_category_name", "Plant");
        s.put("production_method_name", "Indoor");
        s.put("production_method_id", 3);
        ArrayNode packages = s.putArray("test_packages");
        packages.addObject().put("id", 14).put("name", "Full Compliance - Flower");
        packages.addObject().put("id", 22).put("name", "Terpene Profile");
        s.put("last_modified", timestamp(lastModified));
        s.put("initial_weight", BigDecimal.valueOf(350 + r.nextInt(200), 2));
        s.put("initial_weight_unit", "g");
        ArrayNode types = s.putArray("test_types");
        String[][] testTypes = {{"1", "Cannabinoids", "CAN"}, {"2", "Foreign Matter", "FM"},
            {"3", "Homogeneity", "HOM"}, {"4", "Microbials", "MIC"}, {"5", "Heavy Metals", "HM"},
            {"6", "Moisture Content", "MC"}, {"7", "Mycotoxins", "MYC"}, {"8", "Pesticides", "PES"},
            {"9", "Residual Solvents", "RS"}, {"10", "Terpenes", "TERP"}, {"11", "Water Activity", "WA"}};
        for (String[] t : testTypes) {
            types.addObject().put("id", Integer.parseInt(t[0])).put("name", t[1]).put("abbreviation", t[2]);
        }
        String key = uuid(r);
        ObjectNode cover = s.putObject("cover_image");
        cover.put("filename", sampleId + "-cover.jpg");
        cover.put("public_key", key);
        cover.put("url", "https://files.confidentlims.com/public/" + key + "/" + sampleId + "-cover.jpg");
        ArrayNode images = s.putArray("images");
        images.add(cover.deepCopy());
        String key2 = uuid(r);
        images.addObject().put("filename", sampleId + "-2.jpg").put("public_key", key2)
                .put("url", "https://files.confidentlims.com/public/" + key2 + "/" + sampleId + "-2.jpg");
        s.put("notes", "Received sealed. Sampled per SOP-014.");
        s.put("batch_id", "B-" + (10000 + r.nextInt(90000)));
        s.put("batch_size", 2000 + r.nextInt(8000));
        s.put("batch_size_unit", "g");
        s.put("lot_id", "L-" + (10000 + r.nextInt(90000)));
        s.put("lot_size", 1000 + r.nextInt(4000));
        s.put("lot_size_unit", "g");
        s.put("production_run_id", "PR-" + (1000 + r.nextInt(9000)));
        s.put("production_run_size", 500 + r.nextInt(500));
        s.put("production_run_size_unit", "units");
        s.put("regulator_sample_id", "1A4060300003" + digits(r, 6));
        s.put("manifest_id", "00" + digits(r, 8));
        s.put("regulator_batch_id", "1A4060300002" + digits(r, 6));
        s.put("regulator_lot_id", "1A4060300001" + digits(r, 6));
        s.put("regulator_sample_id2", "");
        s.put("regulator_batch_id2", "");
        s.put("harvest_id", "H-" + digits(r, 6));
        s.put("production_date", timestamp(received.minus(30, ChronoUnit.DAYS)));
        s.put("date_samples_collected", timestamp(received));
        s.put("public_url", "https://reports.confidentlims.com/sample/" + sampleId + "/" + key.substring(0, 8));
        s.put("units_per_serving", 1);
        s.put("servings_per_container", 1);
        s.put("unit_description", "1 jar");
        s.put("container_description", "3.5 g glass jar");
        s.put("regulatory_category_id", 4);
        s.put("solvents_used", "Methanol, Acetonitrile");

        int failing = r.nextInt(12); // 0..3: one analyte of that category fails
        ObjectNode labData = s.putObject("lab_data");
        labData.put("date_created", timestamp(received.plus(1, ChronoUnit.HOURS)));
        labData.put("status", failing < 4 ? 2 : 1);
        ObjectNode categories = labData.putObject("categories");
        String date = tested.toString();
        cannabinoids(categories, r, date);
        limited(categories, "foreign_matter", info(date, "Visual inspection", "%", "%", 2), FOREIGN_MATTER, r, false, a -> "1.0",
                (rr, limit) -> rr.nextInt(3) == 0 ? fmt(rr.nextDouble() * 0.5, 2) : "ND", "0.1", "0.5");
        limited(categories, "homogeneity", info(date, "HPLC-DAD", "%", "%", 0), HOMOGENEITY, r, false, a -> "25",
                (rr, limit) -> fmt(2 + rr.nextDouble() * 10, 1), "", "");
        limited(categories, "microbials", info(date, "Plating / qPCR", "CFU/g", "CFU/g", 0), MICROBIALS, r, failing == 0,
                a -> a.startsWith("total_aerobic") ? "100000" : a.startsWith("total_yeast") ? "10000"
                        : a.startsWith("total_") || a.startsWith("bile") ? "1000" : "",
                (rr, limit) -> limit.isEmpty() ? "ND" : rr.nextInt(3) == 0 ? "<LOQ"
                        : Integer.toString(10 * (1 + rr.nextInt(Integer.parseInt(limit) / 50))), "10", "100");
        limited(categories, "metals", info(date, "ICP-MS", "ppb", "ppb", 0), METALS, r, failing == 1,
                a -> switch (a) {
                    case "arsenic", "cadmium" -> "200";
                    case "lead" -> "500";
                    case "mercury" -> "100";
                    default -> "";
                },
                (rr, limit) -> rr.nextInt(4) == 0 ? "ND" : fmt(5 + rr.nextDouble() * 60, 0), "1", "5");
        limited(categories, "moisture", info(date, "Loss on drying", "%", "%", 1), List.of("moisture"), r, false, a -> "15",
                (rr, limit) -> fmt(8 + rr.nextDouble() * 5, 1), "", "");
        limited(categories, "mycotoxins", info(date, "LC-MS/MS", "ppb", "µg/kg", 2), MYCOTOXINS, r, failing == 2,
                a -> a.equals("total_aflatoxins") || a.equals("ochratoxin_a") ? "20" : "",
                (rr, limit) -> rr.nextInt(5) == 0 ? "<LOQ" : "ND", "1", "2");
        limited(categories, "pesticides", info(date, "LC-MS/MS", "ppm", "mg/kg", 3), PESTICIDES, r, failing == 3,
                a -> fmt(0.1 * (1 + (a.length() % 5)), 1),
                (rr, limit) -> switch (rr.nextInt(10)) {
                    case 0 -> "<LOQ";
                    case 1 -> fmt(0.03 + rr.nextDouble() * 0.05, 3);
                    default -> "ND";
                }, "0.010", "0.030");
        limited(categories, "solvents", info(date, "HS-GC-MS", "ppm", "ppm", 3), SOLVENTS, r, false,
                a -> SOLVENT_LIMITS.get(SOLVENTS.indexOf(a)),
                (rr, limit) -> rr.nextInt(6) == 0 && Integer.parseInt(limit) > 100
                        ? fmt(5 + rr.nextDouble() * 100, 3) : "ND", "0.500", "1.000");
        terpenes(categories, r, date);
        ArrayNode wa = category(categories, "water_activity", info(date, "Dew point hygrometer", null, null, 5), 1);
        compound(wa, "water_activity", fmt(0.45 + r.nextDouble() * 0.15, 5), "", "", "0.65");
        enrich(labData, categories, new Random(~seed));
        return s;
    }

    /** The upper limit of quantitation per category (empty where the lab reports none). */
    private static String maxOf(String category) {
        return switch (category) {
            case "cannabinoids", "terpenes" -> "100";
            case "metals" -> "5000";
            case "microbials" -> "1000000";
            case "mycotoxins" -> "200";
            case "pesticides" -> "5";
            case "solvents" -> "10000";
            default -> "";
        };
    }

    /**
     * Fills the compound fields and info fields the first stream leaves empty, from a second random stream: max,
     * stdev, rsd and rpd of numeric results, range limits of moisture and water activity, regulator notes of
     * failing analytes, and the documented info fields. One seed in six gets a moisture outside its range.
     */
    private static void enrich(ObjectNode labData, ObjectNode categories, Random x) {
        boolean wetFails = x.nextInt(6) == 0;
        for (java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> c : categories.properties()) {
            String category = c.getKey();
            ObjectNode info = (ObjectNode) c.getValue().get("info_fields");
            info.put("footnote", "Tested per the laboratory's ISO/IEC 17025 accredited method.");
            info.put("notes", "");
            info.put("notes_2", "");
            info.put("signature", "https://files.confidentlims.com/public/signatures/dwhitfield.png");
            switch (category) {
                case "cannabinoids" -> {
                    info.put("secondary_report_units", "mg/g");
                    info.put("dry_weight", fmt(0.18 + x.nextDouble() * 0.04, 4));
                    info.put("wet_weight", fmt(0.2 + x.nextDouble() * 0.05, 4));
                    info.put("container_description", "glass jar");
                }
                case "moisture" -> {
                    info.put("reported_as_wet", 1);
                    info.put("wet_weight", fmt(0.5 + x.nextDouble() * 0.1, 4));
                    info.put("dry_weight", fmt(0.44 + x.nextDouble() * 0.05, 4));
                }
                case "pesticides", "solvents", "mycotoxins" -> {
                    info.put("reported_as_wet", 0);
                    info.put("volume", "10");
                }
                case "terpenes" -> info.put("secondary_report_units", "%");
                default -> {
                }
            }
            for (com.fasterxml.jackson.databind.JsonNode n : c.getValue().get("compounds")) {
                ObjectNode compound = (ObjectNode) n;
                String value = compound.get("value").asText();
                boolean numeric = value.matches("[0-9]+(\\.[0-9]+)?");
                compound.put("max", maxOf(category));
                compound.put("stdev", numeric ? fmt(Double.parseDouble(value) * (0.005 + x.nextDouble() * 0.02), 4) : "");
                compound.put("rsd", numeric ? fmt(0.5 + x.nextDouble() * 4, 2) : "");
                compound.put("rpd", numeric && category.equals("cannabinoids") ? fmt(x.nextDouble() * 6, 2) : "");
                compound.put("limitrangelow", category.equals("moisture") ? "5" : "");
                compound.put("limitrangehigh", category.equals("moisture") ? "15"
                        : category.equals("water_activity") ? "0.65" : "");
                if (category.equals("moisture")) {
                    compound.put("limit", "");
                    if (wetFails) {
                        compound.put("value", fmt(15.2 + x.nextDouble() * 2, 1));
                        ((ObjectNode) c.getValue().get("info_fields")).put("status", 2);
                        labData.put("status", 2);
                    }
                }
                String limit = compound.get("limit").asText();
                boolean over = numeric && !limit.isEmpty() && Double.parseDouble(value) > Double.parseDouble(limit);
                compound.put("regulatornotes", over ? "Exceeds the state action limit; reported to METRC" : "");
            }
        }
    }

    /** Info fields: units (null: not given), digits, the date tested, method and signatory. */
    private static ObjectNode info(String dateTested, String method, String inputUnits, String reportUnits,
                                  int digits) {
        ObjectNode i = NODES.objectNode();
        i.put("date_tested", dateTested);
        i.put("digits", digits);
        if (inputUnits != null) {
            i.put("input_units", inputUnits);
        }
        if (reportUnits != null) {
            i.put("report_units", reportUnits);
        }
        i.put("method", method);
        i.put("signatory_name", "Dana Whitfield");
        i.put("signatory_title", "Laboratory Director");
        return i;
    }

    /** Adds a category with its info fields and status; returns its (empty) compounds list. */
    private static ArrayNode category(ObjectNode categories, String name, ObjectNode info, int status) {
        info.put("status", status);
        ObjectNode c = categories.putObject(name);
        c.set("info_fields", info);
        return c.putArray("compounds");
    }

    private static void compound(ArrayNode compounds, String name, String value, String lod, String loq,
                                 String limit) {
        ObjectNode c = compounds.addObject();
        c.put("name", name);
        c.put("value", value);
        c.put("lod", lod);
        c.put("loq", loq);
        c.put("limit", limit);
        c.put("max", "");
        c.put("stdev", "");
    }

    private static void cannabinoids(ObjectNode categories, Random r, String date) {
        ObjectNode info = info(date, "HPLC-DAD", "%", "%", 2);
        info.put("reported_as_wet", 0);
        ArrayNode compounds = category(categories, "cannabinoids", info, 3);
        double thca = 15 + r.nextDouble() * 15;
        double d9 = 0.1 + r.nextDouble() * 1.4;
        double cbda = r.nextInt(4) == 0 ? 0.05 + r.nextDouble() * 0.5 : 0;
        for (String a : CANNABINOIDS) {
            String v = switch (a) {
                case "thca" -> fmt(thca, 2);
                case "d9_thc" -> fmt(d9, 2);
                case "cbda" -> cbda == 0 ? "ND" : fmt(cbda, 2);
                case "total_thc" -> fmt(thca * 0.877 + d9, 2);
                case "total_cbd" -> cbda == 0 ? "ND" : fmt(cbda * 0.877, 2);
                case "cbga", "cbg" -> fmt(0.1 + r.nextDouble() * 1.2, 2);
                default -> switch (r.nextInt(4)) {
                    case 0 -> "<LOQ";
                    case 1 -> fmt(0.03 + r.nextDouble() * 0.2, 2);
                    default -> "ND";
                };
            };
            compound(compounds, a, v, "0.01", "0.03", "");
        }
    }

    private static void terpenes(ObjectNode categories, Random r, String date) {
        ArrayNode compounds = category(categories, "terpenes", info(date, "GC-FID", "mg/g", null, 2), 3);
        for (String a : TERPENES) {
            String v = switch (r.nextInt(5)) {
                case 0 -> "ND";
                case 1 -> "<LOQ";
                default -> fmt(0.1 + r.nextDouble() * 8, 2);
            };
            compound(compounds, a, v, "0.02", "0.05", "");
        }
    }

    /** A category whose analytes have limits: pass unless {@code fail}, when one analyte is set over its limit. */
    private static void limited(ObjectNode categories, String name, ObjectNode info, List<String> analytes, Random r,
                                boolean fail, Function<String, String> limitOf,
                                BiFunction<Random, String, String> valueOf, String lod, String loq) {
        ArrayNode compounds = category(categories, name, info, fail ? 2 : 1);
        int failingIndex = -1;
        if (fail) {
            do {
                failingIndex = r.nextInt(analytes.size());
            } while (limitOf.apply(analytes.get(failingIndex)).isEmpty());
        }
        for (int i = 0; i < analytes.size(); i++) {
            String a = analytes.get(i);
            String limit = limitOf.apply(a);
            String value = i == failingIndex ? overLimit(limit, r) : valueOf.apply(r, limit);
            compound(compounds, a, value, lod, loq, limit);
        }
    }

    private static String overLimit(String limit, Random r) {
        double l = Double.parseDouble(limit);
        return fmt(l * (1.2 + r.nextDouble()), l >= 100 ? 0 : 3);
    }

    /** {@code v} with {@code digits} decimals, as {@code %.Nf} writes it, without the formatter (a panel has hundreds). */
    private static String fmt(double v, int digits) {
        return BigDecimal.valueOf(v).setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }

    private static String digits(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + r.nextInt(10)));
        }
        return b.toString();
    }

    private static String uuid(Random r) {
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }
}
