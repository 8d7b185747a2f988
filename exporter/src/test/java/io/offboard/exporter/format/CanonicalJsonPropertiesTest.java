package io.offboard.exporter.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.DecimalNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CanonicalJsonPropertiesTest {

    @Property(tries = 2000)
    void decimalsAreWrittenExactlyAsToPlainString(@ForAll("decimals") BigDecimal value) {
        assertThat(CanonicalJson.string(DecimalNode.valueOf(value))).isEqualTo(value.toPlainString());
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
}
