package io.offboard.exporter.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.offboard.exporter.format.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemJsonTest {

    private static String json(Map<String, AttributeValue> item) {
        return new String(ItemJson.bytes(item), StandardCharsets.UTF_8);
    }

    @Test
    void everyTypeMapsAsDocumented() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("s", AttributeValue.fromS("héllo \"q\" ✓"));
        item.put("n", AttributeValue.fromN("12.50"));
        item.put("bool", AttributeValue.fromBool(true));
        item.put("nul", AttributeValue.fromNul(true));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xff})));
        item.put("m", AttributeValue.fromM(Map.of("z", AttributeValue.fromN("1"), "a", AttributeValue.fromS("x"))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("second"), AttributeValue.fromS("first"))));
        item.put("ss", AttributeValue.fromSs(List.of("pear", "apple", "Zed")));
        item.put("ns", AttributeValue.fromNs(List.of("10", "-2.5", "3", "1E+2")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {(byte) 0x80}),
                SdkBytes.fromByteArray(new byte[] {0x01}))));
        assertThat(json(item)).isEqualTo("{\"b\":\"AAH/\",\"bool\":true,\"bs\":[\"AQ==\",\"gA==\"],"
                + "\"l\":[\"second\",\"first\"],\"m\":{\"a\":\"x\",\"z\":1},\"n\":12.50,\"ns\":[-2.5,3,10,100],"
                + "\"nul\":null,\"s\":\"héllo \\\"q\\\" ✓\",\"ss\":[\"Zed\",\"apple\",\"pear\"]}");
    }

    @Test
    void numbersAreExact() {
        String[] numbers = {"0.1", "123456789012345678901234567890.12345678", "-0.000000000000000000000000000001",
                "99999999999999999999999999999999999999", "9.9999999999999999999999999999999999999E+125", "1E-130"};
        for (String n : numbers) {
            JsonNode node = ItemJson.toJson(AttributeValue.fromN(n));
            assertThat(node.isBigDecimal()).isTrue();
            assertThat(node.decimalValue()).isEqualByComparingTo(new java.math.BigDecimal(n));
            String written = CanonicalJson.string(node);
            assertThat(written).doesNotContain("E").doesNotContain("e");
            assertThat(new java.math.BigDecimal(written)).isEqualByComparingTo(new java.math.BigDecimal(n));
        }
        assertThat(CanonicalJson.string(ItemJson.toJson(AttributeValue.fromN("0.1")))).isEqualTo("0.1");
        assertThat(CanonicalJson.string(ItemJson.toJson(AttributeValue.fromN("1E+3")))).isEqualTo("1000");
    }

    @Test
    void nestedMapsAreSortedAtEveryLevel() {
        Map<String, AttributeValue> inner = new LinkedHashMap<>();
        inner.put("y", AttributeValue.fromS("1"));
        inner.put("b", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("q", AttributeValue.fromS("q"),
                "c", AttributeValue.fromS("c"))))));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("zeta", AttributeValue.fromM(inner));
        item.put("alpha", AttributeValue.fromS("a"));
        assertThat(json(item)).isEqualTo("{\"alpha\":\"a\",\"zeta\":{\"b\":[{\"c\":\"c\",\"q\":\"q\"}],\"y\":\"1\"}}");
    }

    @Test
    void emptyContainersStayEmpty() {
        Map<String, AttributeValue> item = Map.of("m", AttributeValue.fromM(Map.of()), "l", AttributeValue.fromL(List.of()),
                "s", AttributeValue.fromS(""));
        assertThat(json(item)).isEqualTo("{\"l\":[],\"m\":{},\"s\":\"\"}");
        assertThat(json(Map.of())).isEqualTo("{}");
    }

    @Test
    void aValueOfNoKnownTypeIsRefused() {
        assertThatThrownBy(() -> ItemJson.toJson(AttributeValue.builder().build()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
