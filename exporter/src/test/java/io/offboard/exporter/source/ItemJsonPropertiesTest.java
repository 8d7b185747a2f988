package io.offboard.exporter.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.offboard.exporter.format.CanonicalJson;
import io.offboard.exporter.format.ExportRow;
import io.offboard.exporter.format.JsonlWriter;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Arbitrary nested DynamoDB items: conversion never throws and the bytes do not depend on map or set order. */
class ItemJsonPropertiesTest {

    @Property(tries = 500)
    void serialisationIsStableWhateverTheInsertionOrder(@ForAll("items") Map<String, AttributeValue> item) throws Exception {
        byte[] bytes = ItemJson.bytes(item);
        byte[] reordered = ItemJson.bytes(reorder(item));
        assertThat(reordered).isEqualTo(bytes);
        assertThat(ItemJson.bytes(item)).isEqualTo(bytes);

        // valid JSON that reads back to the same canonical bytes
        JsonNode back = CanonicalJson.mapper().readTree(bytes);
        assertThat(CanonicalJson.bytes(back)).isEqualTo(bytes);
        assertThat(back.size()).isEqualTo(item.size());

        // and a JSONL line of the row is the row's canonical bytes plus \n
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonlWriter writer = new JsonlWriter(out)) {
            writer.write(ExportRow.of(ItemJson.toJson(reorder(item)), Instant.EPOCH, null));
        }
        byte[] line = out.toByteArray();
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        assertThat(CanonicalJson.bytes(ExportRow.item((com.fasterxml.jackson.databind.node.ObjectNode)
                CanonicalJson.mapper().readTree(line)))).isEqualTo(bytes);
    }

    @Property(tries = 200)
    void numbersSurviveExactly(@ForAll("numbers") String n) throws Exception {
        byte[] bytes = CanonicalJson.bytes(ItemJson.toJson(AttributeValue.fromN(n)));
        assertThat(new BigDecimal(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualByComparingTo(new BigDecimal(n));
    }

    @Property(tries = 500)
    void theRowEncoderWritesTheBytesOfTheRowTree(@ForAll("items") Map<String, AttributeValue> item,
                                                 @ForAll("revisionAttributes") String revisionChoice) {
        // the revision attribute: none, one the item lacks, or one of its own (any type)
        String revisionAttribute = revisionChoice.equals("none") ? null
                : revisionChoice.equals("own") && !item.isEmpty() ? item.keySet().iterator().next() : "revision";
        Instant asOf = Instant.parse("2026-03-01T12:00:00.5Z");
        com.fasterxml.jackson.databind.node.ObjectNode json = ItemJson.toJson(item);
        byte[] tree = CanonicalJson.bytes(ExportRow.of(json, asOf, ExportRow.revisionOf(json, revisionAttribute)));

        io.offboard.exporter.format.JsonEncoder encoder = new io.offboard.exporter.format.JsonEncoder();
        ItemRowEncoder rows = new ItemRowEncoder(encoder, asOf, revisionAttribute);
        rows.append(reorder(item));
        rows.append(item);
        byte[] line = java.util.Arrays.copyOf(tree, tree.length + 1);
        line[tree.length] = '\n';
        ByteArrayOutputStream twice = new ByteArrayOutputStream();
        twice.writeBytes(line);
        twice.writeBytes(line);
        assertThat(encoder.toByteArray()).isEqualTo(twice.toByteArray());
    }

    @Property(tries = 300)
    void plainNumbersAreCopiedOnlyWhenBigDecimalWritesThemTheSame(@ForAll("anyNumbers") String n) {
        io.offboard.exporter.format.JsonEncoder encoder = new io.offboard.exporter.format.JsonEncoder();
        new ItemRowEncoder(encoder, Instant.EPOCH, null).append(Map.of("n", AttributeValue.fromN(n)));
        String row = new String(encoder.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(row).isEqualTo("{\"exported_at_utc\":\"1970-01-01T00:00:00Z\",\"n\":"
                + new BigDecimal(n).toPlainString() + "}\n");
        if (ItemRowEncoder.isPlain(n)) {
            assertThat(new BigDecimal(n).toPlainString()).isEqualTo(n);
        }
    }

    @Property(tries = 300)
    void numberSizesAreCountedAsBigDecimalCountsThem(@ForAll("anyNumbers") String n) {
        assertThat(ItemSize.number(n)).isEqualTo((new BigDecimal(n).stripTrailingZeros().precision() + 1) / 2 + 1);
    }

    @Provide
    Arbitrary<String> revisionAttributes() {
        return Arbitraries.of("none", "absent", "own");
    }

    @Provide
    Arbitrary<String> anyNumbers() {
        return Arbitraries.oneOf(numbers(), Arbitraries.of("-0", "-0.0", "0.000", "00", "007.5", "1.", ".5", "+1",
                "-.5", "1e3", "1E+3", "-1.50", "0", "10", "-10.010", "1000000000000000000000.0000000000000000000001"));
    }

    // ---- generators ------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Map<String, AttributeValue>> items() {
        return Arbitraries.maps(names(), value(3)).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> numbers() {
        // DynamoDB: up to 38 significant digits, magnitude 1E-130 .. 9.99..E+125
        Arbitrary<BigInteger> unscaled = Arbitraries.bigIntegers()
                .between(new BigInteger("-99999999999999999999999999999999999999"),
                        new BigInteger("99999999999999999999999999999999999999"));
        return Combinators.combine(unscaled, Arbitraries.integers().between(-87, 130), Arbitraries.of(true, false))
                .as((u, scale, plain) -> {
                    BigDecimal d = new BigDecimal(u, scale);
                    return plain ? d.toPlainString() : d.toString();
                });
    }

    private Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().withChars('_', '-', '.').ofMinLength(1).ofMaxLength(12),
                text().ofMinLength(1).ofMaxLength(6));
    }

    private static net.jqwik.api.arbitraries.StringArbitrary text() {
        // valid UTF-16 only: DynamoDB strings are UTF-8, so no lone surrogates
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFD');
    }

    private Arbitrary<AttributeValue> value(int depth) {
        List<Arbitrary<AttributeValue>> choices = new ArrayList<>(List.of(
                Arbitraries.oneOf(text().ofMaxLength(20), Arbitraries.of("😀 emoji", "𝄞 clef", "")).map(AttributeValue::fromS),
                numbers().map(AttributeValue::fromN),
                Arbitraries.of(true, false).map(AttributeValue::fromBool),
                Arbitraries.just(AttributeValue.fromNul(true)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> AttributeValue.fromB(SdkBytes.fromByteArray(b))),
                text().ofMinLength(1).ofMaxLength(8).list().uniqueElements().ofMinSize(1).ofMaxSize(5).map(AttributeValue::fromSs),
                numbers().list().ofMinSize(1).ofMaxSize(5).uniqueElements(n -> new BigDecimal(n).stripTrailingZeros())
                        .map(AttributeValue::fromNs),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8).list().ofMinSize(1).ofMaxSize(4)
                        .uniqueElements(java.util.Arrays::toString)
                        .map(list -> AttributeValue.fromBs(list.stream().map(SdkBytes::fromByteArray).toList()))));
        if (depth > 0) {
            Arbitrary<AttributeValue> inner = Arbitraries.lazy(() -> value(depth - 1));
            choices.add(Arbitraries.maps(names(), inner).ofMaxSize(4).map(AttributeValue::fromM));
            choices.add(inner.list().ofMaxSize(4).map(AttributeValue::fromL));
        }
        return Arbitraries.oneOf(choices);
    }

    // ---- the same item, built in another order -------------------------------------------------------------

    private static Map<String, AttributeValue> reorder(Map<String, AttributeValue> item) {
        List<String> keys = new ArrayList<>(item.keySet());
        Collections.reverse(keys);
        Collections.rotate(keys, keys.size() / 2);
        Map<String, AttributeValue> copy = new LinkedHashMap<>();
        for (String key : keys) {
            copy.put(key, reorder(item.get(key)));
        }
        return copy;
    }

    private static AttributeValue reorder(AttributeValue value) {
        return switch (value.type()) {
            case M -> AttributeValue.fromM(reorder(value.m()));
            case L -> AttributeValue.fromL(value.l().stream().map(ItemJsonPropertiesTest::reorder).toList());
            case SS -> AttributeValue.fromSs(reversed(value.ss()));
            case NS -> AttributeValue.fromNs(reversed(value.ns()));
            case BS -> AttributeValue.fromBs(reversed(value.bs()));
            default -> value;
        };
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }
}
