package io.labhooks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void bodiesAreValidJsonOfTheExactSizeAndDiffer() throws Exception {
        Payloads p = new Payloads(2048);

        byte[] a = p.body(1);
        byte[] b = p.body(987_654_321L);

        assertThat(a).hasSize(2048);
        assertThat(b).hasSize(2048);
        assertThat(a).isNotEqualTo(b);
        JsonNode na = json.readTree(a);
        JsonNode nb = json.readTree(b);
        assertThat(na.at("/eventType").asText()).isEqualTo("bill.completed");
        assertThat(na.at("/data/billID").asText()).isEqualTo("bill_000000000001");
        assertThat(nb.at("/data/billID").asText()).isEqualTo("bill_000987654321");
        assertThat(nb.at("/data/reportURL").asText()).endsWith("bill_000987654321");
        assertThat(na.at("/data/billData/testData").size()).isGreaterThan(3);
        assertThat(nb.at("/eventTime").asLong()).isEqualTo(1_705_747_800L + 987_654_321L);
    }

    @Test
    void otherSizesAreExactToo() throws Exception {
        for (int size : new int[] {600, 1000, 4096, 65_536}) {
            byte[] body = new Payloads(size).body(size);
            assertThat(body).hasSize(size);
            assertThat(json.readTree(body).isObject()).isTrue();
        }
    }

    @Test
    void tooSmallIsRefused() {
        assertThatThrownBy(() -> new Payloads(100)).isInstanceOf(IllegalArgumentException.class);
    }
}
