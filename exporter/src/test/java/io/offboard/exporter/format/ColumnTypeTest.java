package io.offboard.exporter.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ColumnTypeTest {

    @Test
    void registryNames() {
        assertThat(ColumnType.of("timestamp")).isEqualTo(ColumnType.TIMESTAMP);
        assertThat(ColumnType.LONG.registryName()).isEqualTo("long");
        assertThatThrownBy(() -> ColumnType.of("money")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void conversions() {
        assertThat(ColumnType.STRING.convert(TextNode.valueOf("x"))).isEqualTo("x");
        assertThat(ColumnType.STRING.convert(DecimalNode.valueOf(new BigDecimal("1E+3")))).isEqualTo("1000");
        assertThat(ColumnType.STRING.convert(BooleanNode.TRUE)).isEqualTo("true");
        assertThat(ColumnType.STRING.convert(JsonNodeFactory.instance.objectNode().put("b", 1).put("a", 2)))
                .isEqualTo("{\"a\":2,\"b\":1}");
        assertThat(ColumnType.STRING.convert(NullNode.instance)).isNull();
        assertThat(ColumnType.STRING.convert(null)).isNull();

        assertThat(ColumnType.LONG.convert(DecimalNode.valueOf(new BigDecimal("42")))).isEqualTo(42L);
        assertThat(ColumnType.LONG.convert(DecimalNode.valueOf(new BigDecimal("42.0")))).isEqualTo(42L);
        assertThat(ColumnType.LONG.convert(DecimalNode.valueOf(new BigDecimal("42.5")))).isNull();
        assertThat(ColumnType.LONG.convert(DecimalNode.valueOf(new BigDecimal("1E+30")))).isNull();
        assertThat(ColumnType.LONG.convert(TextNode.valueOf("17"))).isEqualTo(17L);
        assertThat(ColumnType.LONG.convert(TextNode.valueOf("seventeen"))).isNull();

        assertThat(ColumnType.DOUBLE.convert(DecimalNode.valueOf(new BigDecimal("12.5")))).isEqualTo(12.5);
        assertThat(ColumnType.DOUBLE.convert(DoubleNode.valueOf(Double.NaN))).isNull();
        assertThat(ColumnType.DOUBLE.convert(TextNode.valueOf("x"))).isNull();

        assertThat(ColumnType.BOOLEAN.convert(BooleanNode.FALSE)).isEqualTo(false);
        assertThat(ColumnType.BOOLEAN.convert(TextNode.valueOf("true"))).isEqualTo(true);
        assertThat(ColumnType.BOOLEAN.convert(TextNode.valueOf("yes"))).isNull();

        assertThat(ColumnType.TIMESTAMP.convert(TextNode.valueOf("2026-11-01T08:00:00Z"))).isEqualTo(
                Instant.parse("2026-11-01T08:00:00Z").toEpochMilli());
        assertThat(ColumnType.TIMESTAMP.convert(TextNode.valueOf("2026-11-01T08:00:00.1239Z"))).isEqualTo(
                Instant.parse("2026-11-01T08:00:00.123Z").toEpochMilli());
        assertThat(ColumnType.TIMESTAMP.convert(TextNode.valueOf("2026-11-01T09:30:00+01:30"))).isEqualTo(
                Instant.parse("2026-11-01T08:00:00Z").toEpochMilli());
        assertThat(ColumnType.TIMESTAMP.convert(TextNode.valueOf("2026-02-30T08:00:00Z"))).isNull();
        assertThat(ColumnType.TIMESTAMP.convert(TextNode.valueOf("2026-11-01"))).isNull();
        assertThat(ColumnType.TIMESTAMP.convert(TextNode.valueOf("yesterday"))).isNull();
        assertThat(ColumnType.TIMESTAMP.convert(DecimalNode.valueOf(BigDecimal.ONE))).isNull();
    }

    /** The hand-written parser agrees with java.time on every shape it accepts. */
    @Property(tries = 2000)
    void fastTimestampParsingAgreesWithJavaTime(@ForAll("instants") Instant instant,
                                                @ForAll @IntRange(min = 0, max = 9) int fractionDigits,
                                                @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours,
                                                @ForAll boolean zulu) {
        ZoneOffset offset = zulu ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(quarterHours * 900);
        StringBuilder pattern = new StringBuilder("uuuu-MM-dd'T'HH:mm:ss");
        if (fractionDigits > 0) {
            pattern.append('.').append("S".repeat(fractionDigits));
        }
        pattern.append(zulu ? "'Z'" : "xxx");
        String text = OffsetDateTime.ofInstant(instant, offset).format(DateTimeFormatter.ofPattern(pattern.toString()));
        int unit = (int) Math.pow(10, 9 - fractionDigits);
        long expected = Instant.ofEpochSecond(instant.getEpochSecond(), instant.getNano() / unit * unit).toEpochMilli();
        assertThat(ColumnType.epochMillis(text)).as(text).isEqualTo(expected);
    }

    @Property(tries = 2000)
    void epochDayAgreesWithLocalDate(@ForAll @IntRange(min = 0, max = 9999) int year,
                                     @ForAll @IntRange(min = 1, max = 12) int month,
                                     @ForAll @IntRange(min = 1, max = 31) int day) {
        int length = java.time.YearMonth.of(year, month).lengthOfMonth();
        int d = Math.min(day, length);
        assertThat(ColumnType.epochDay(year, month, d)).isEqualTo(java.time.LocalDate.of(year, month, d).toEpochDay());
        String text = String.format("%04d-%02d-%02dT00:00:00Z", year, month, day);
        if (day > length) {
            assertThat(ColumnType.epochMillis(text)).as(text).isNull();
        }
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(Instant.parse("1000-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("9998-12-31T00:00:00Z").getEpochSecond())
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    }
}
