package io.offboard.exporter.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CanonicalJsonPropertiesTest {

    /** The reference: Jackson's generator driven by {@link CanonicalJson#write}. */
    private static byte[] jackson(JsonNode node, Set<String> omit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = CanonicalJson.factory().createGenerator(out)) {
            CanonicalJson.write(node, generator, omit);
        }
        return out.toByteArray();
    }

    @Property(tries = 1000)
    void theEncoderWritesExactlyWhatJacksonWrites(@ForAll("trees") JsonNode tree) throws IOException {
        byte[] expected = jackson(tree, Set.of());
        assertThat(new JsonEncoder().write(tree).toByteArray()).isEqualTo(expected);
        assertThat(CanonicalJson.bytes(tree)).isEqualTo(expected);
        if (tree.isObject() && tree.size() > 0) {
            String first = tree.fieldNames().next();
            assertThat(CanonicalJson.bytes(tree, Set.of(first))).isEqualTo(jackson(tree, Set.of(first)));
        }
    }

    @Property(tries = 2000)
    void decimalsAreWrittenExactlyAsToPlainString(@ForAll("decimals") BigDecimal value) throws IOException {
        assertThat(CanonicalJson.string(DecimalNode.valueOf(value))).isEqualTo(value.toPlainString());
        assertThat(jackson(DecimalNode.valueOf(value), Set.of())).isEqualTo(CanonicalJson.bytes(DecimalNode.valueOf(value)));
    }

    @Test
    void controlCharactersAndNonFiniteNumbers() throws IOException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
        }
        node.put("ascii", all.toString() + "\u2028\u2029\uFEFF\uFFFF😀");
        node.set("nan", DoubleNode.valueOf(Double.NaN));
        node.set("inf", FloatNode.valueOf(Float.NEGATIVE_INFINITY));
        node.set("bin", BinaryNode.valueOf(new byte[] {0, -1, 7}));
        assertThat(CanonicalJson.bytes(node)).isEqualTo(jackson(node, Set.of()));
        assertThat(CanonicalJson.string(TextNode.valueOf("a\u0001\n\"\\"))).isEqualTo("\"a\\u0001\\n\\\"\\\\\"");
    }

    @Test
    void aLoneSurrogateIsRefused() {
        assertThatThrownBy(() -> CanonicalJson.bytes(TextNode.valueOf("x\uD800y"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigInteger> small = Arbitraries.longs().map(BigInteger::valueOf);
        Arbitrary<BigInteger> big = Arbitraries.bigIntegers().between(
                new BigInteger("-99999999999999999999999999999999999999"), new BigInteger("99999999999999999999999999999999999999"));
        Arbitrary<BigInteger> edge = Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(-1),
                BigInteger.valueOf(999_999_999_999_999_999L), BigInteger.valueOf(-999_999_999_999_999_999L),
                BigInteger.valueOf(1_000_000_000_000_000_000L), BigInteger.valueOf(Long.MAX_VALUE),
                BigInteger.valueOf(Long.MIN_VALUE));
        return Combinators.combine(Arbitraries.oneOf(small, big, edge), Arbitraries.integers().between(-20, 40))
                .as(BigDecimal::new);
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return tree(3);
    }

    private Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\u00FF').ofMaxLength(12),
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF').ofMaxLength(12),
                Arbitraries.of("😀", "a𝄞b", "", "\"\\/", "\u007F\u0080\u07FF\u0800"));
    }

    private Arbitrary<JsonNode> tree(int depth) {
        List<Arbitrary<? extends JsonNode>> leaves = List.of(
                text().map(TextNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(BigIntegerNode::valueOf),
                decimals().map(DecimalNode::valueOf),
                Arbitraries.doubles().map(DoubleNode::valueOf),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e300, 4.9e-324).map(DoubleNode::valueOf),
                Arbitraries.floats().map(FloatNode::valueOf),
                Arbitraries.of(true, false).map(BooleanNode::valueOf),
                Arbitraries.just(NullNode.instance),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(10).map(BinaryNode::valueOf));
        @SuppressWarnings("unchecked")
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf((List<Arbitrary<JsonNode>>) (List<?>) leaves);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> inner = Arbitraries.lazy(() -> tree(depth - 1));
        Arbitrary<JsonNode> object = Arbitraries.maps(text(), inner).ofMaxSize(5).map(map -> {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            map.forEach(node::set); // insertion order as the map iterates: often unsorted
            return node;
        });
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(5).map(list -> {
            ArrayNode node = JsonNodeFactory.instance.arrayNode();
            list.forEach(node::add);
            return node;
        });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(2, object), net.jqwik.api.Tuple.of(1, array));
    }

}
