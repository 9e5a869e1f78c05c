package io.labhooks.normalizer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.labhooks.config.AuthConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.normalizer.adapter.RawInput;
import io.labhooks.normalizer.adapter.Rejection;
import io.labhooks.normalizer.adapter.VendorAdapter;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code data.vendor_payload} is written as the bytes received, not re-encoded from the parsed tree, and still reads
 * back as the vendor's whole body; a body that is not one JSON object and nothing else is refused, so the copy is
 * always valid JSON.
 */
class VerbatimPayloadTest {
    private final EventCodec codec = new EventCodec();

    private static VendorAdapter adapter(String vendor) {
        return new Adapters().forSource(SourceConfig.of(vendor, Vendor.valueOf(vendor.toUpperCase(Locale.ROOT)), AuthConfig.none()));
    }

    private static AdapterResult adapt(FixtureFuzzTopologyTest.Fixture fx, byte[] body) {
        return adapter(fx.vendor()).adapt(new RawInput(SourceConfig.of(fx.vendor(), Vendor.valueOf(fx.vendor().toUpperCase(Locale.ROOT)),
                AuthConfig.none()), "d-1", Instant.parse("2026-12-01T00:00:00Z"), fx.headers(), body));
    }

    @Test
    void everyVendorsFixtureIsCopiedIntoItsEventsByteForByte() throws Exception {
        int events = 0;
        for (FixtureFuzzTopologyTest.Fixture fx : FixtureFuzzTopologyTest.fixtures()) {
            if (fx.vendor().equals("generic")) {
                continue; // the generic vendor needs a mapping from the config; it shares ObjectAdapter with the rest
            }
            AdapterResult r = adapt(fx, fx.bytes());
            assertThat(r).as(fx.name()).isInstanceOf(AdapterResult.Accepted.class);
            JsonNode body = FixtureFuzzTopologyTest.MAPPER.readTree(fx.bytes());
            for (CanonicalEvent e : ((AdapterResult.Accepted) r).events()) {
                byte[] written = codec.write(e);
                assertThat(indexOf(written, fx.bytes())).as("%s/%s: the body's bytes in the event", fx.vendor(), fx.name()).isPositive();
                CanonicalEvent read = codec.read(written);
                assertThat(read.data().get("vendor_payload")).as(fx.name()).isEqualTo(body);
                // the same event as written by walking the tree (a deep copy holds plain nodes only)
                JsonNode viaTree = codec.mapper().readTree(codec.mapper().writeValueAsBytes(codec.toJson(e).deepCopy()));
                assertThat(codec.mapper().readTree(written)).as(fx.name()).isEqualTo(viaTree);
                events++;
            }
        }
        assertThat(events).isGreaterThan(30);
    }

    @Test
    void aBodyWithAByteOrderMarkIsWrittenFromItsTreeStillValidJson() throws Exception {
        FixtureFuzzTopologyTest.Fixture fx = FixtureFuzzTopologyTest.fixtures().stream().filter(f -> f.vendor().equals("flabs"))
                .findFirst().orElseThrow();
        byte[] bom = new byte[fx.bytes().length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(fx.bytes(), 0, bom, 3, fx.bytes().length);
        AdapterResult r = adapt(fx, bom);
        assertThat(r).isInstanceOf(AdapterResult.Accepted.class);
        byte[] written = codec.write(((AdapterResult.Accepted) r).events().get(0));
        assertThat(indexOf(written, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})).isNegative();
        assertThat(codec.read(written).data().get("vendor_payload")).isEqualTo(FixtureFuzzTopologyTest.MAPPER.readTree(fx.bytes()));
    }

    @Test
    void trailingTokensAfterTheObjectAreRefusedAsNotJson() throws Exception {
        FixtureFuzzTopologyTest.Fixture fx = FixtureFuzzTopologyTest.fixtures().stream().filter(f -> f.vendor().equals("confident"))
                .findFirst().orElseThrow();
        for (String tail : new String[] {" x", "{}", "{\"sample\":{}}", "]", "1"}) {
            byte[] body = Arrays.copyOf(fx.bytes(), fx.bytes().length + tail.length());
            System.arraycopy(tail.getBytes(StandardCharsets.UTF_8), 0, body, fx.bytes().length, tail.length());
            AdapterResult r = adapt(fx, body);
            assertThat(r).as(tail).isInstanceOf(AdapterResult.Rejected.class);
            assertThat(((AdapterResult.Rejected) r).rejection().reason()).isEqualTo(Rejection.Reason.NOT_JSON);
        }
        assertThat(adapt(fx, (new String(fx.bytes(), StandardCharsets.UTF_8) + "\n\t \r\n").getBytes(StandardCharsets.UTF_8)))
                .as("trailing whitespace is fine").isInstanceOf(AdapterResult.Accepted.class);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
