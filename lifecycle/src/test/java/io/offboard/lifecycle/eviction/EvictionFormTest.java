package io.offboard.lifecycle.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EvictionFormTest {

    @Test
    void aCompleteFormIsWellFormed() {
        EvictionForm form = EvictionForm.parse("acme", "@alice, @bob", "2027-01-15", "needs GPUs the platform lacks");

        assertThat(form.problems()).isEmpty();
        assertThat(form.tenant()).contains("acme");
        assertThat(form.owners()).containsExactly("alice", "bob");
        assertThat(form.evictionDate()).contains(LocalDate.of(2027, 1, 15));
        assertThat(form.reason()).contains("needs GPUs the platform lacks");
    }

    @Test
    void anEmptyFormReportsAllFourFields() {
        EvictionForm form = EvictionForm.parse(EvictionForm.NO_RESPONSE, null, " ", "");

        assertThat(form.problems()).hasSize(4);
        assertThat(form.problems()).anyMatch(p -> p.startsWith("tenant orgcode is missing"))
                .anyMatch(p -> p.startsWith("capability owner(s) missing"))
                .anyMatch(p -> p.startsWith("eviction date is missing"))
                .anyMatch(p -> p.startsWith("reason is missing"));
    }

    @Test
    void anImpossibleDateIsNamedWithTheFix() {
        EvictionForm form = EvictionForm.parse("acme", "@alice", "2026-02-30", "r");

        assertThat(form.problems()).containsExactly("eviction date `2026-02-30` is not a date; use YYYY-MM-DD");
    }

    @Test
    void ownersMayBeSeparatedByCommasSpacesOrLinesAndAreDeduplicated() {
        EvictionForm form = EvictionForm.parse("acme", "@alice\n@bob carol, @alice", "2027-01-15", "r");

        assertThat(form.owners()).containsExactly("alice", "bob", "carol");
    }

    @Test
    void aMalformedHandleIsReportedByName() {
        EvictionForm form = EvictionForm.parse("acme", "@alice @-bad-", "2027-01-15", "r");

        assertThat(form.problems()).containsExactly("capability owner `@-bad-` is not a GitHub user handle; write `@login`");
    }

    /** Each field is generated valid or invalid; exactly the invalid ones are reported, each by name. */
    @Property(tries = 300)
    void everyInvalidFieldIsReportedAndNoValidOne(@ForAll("fields") List<Field> fields) {
        EvictionForm form = EvictionForm.parse(fields.get(0).text(), fields.get(1).text(), fields.get(2).text(),
                fields.get(3).text());

        String[] names = {"tenant", "capability owner", "eviction date", "reason"};
        for (int i = 0; i < 4; i++) {
            String name = names[i];
            boolean reported = form.problems().stream().anyMatch(p -> p.startsWith(name));
            assertThat(reported).as("%s '%s' reported", name, fields.get(i).text()).isEqualTo(!fields.get(i).valid());
        }
    }

    @Property(tries = 500)
    void arbitraryTextNeverThrows(@ForAll String tenant, @ForAll String owners, @ForAll String date,
                                  @ForAll String reason) {
        EvictionForm form = EvictionForm.parse(tenant, owners, date, reason);
        assertThat(form.wellFormed()).isEqualTo(form.problems().isEmpty());
    }

    record Field(String text, boolean valid) {
    }

    @Provide
    Arbitrary<List<Field>> fields() {
        Arbitrary<Field> tenant = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(2).ofMaxLength(20)
                        .map(s -> new Field(s, true)),
                Arbitraries.of("", "_No response_", "Acme Corp", "a", "ac me", "-x").map(s -> new Field(s, false)));
        Arbitrary<Field> owners = Arbitraries.oneOf(
                Arbitraries.of("@alice", "bob", "@alice, @bob", "@a-b\n@c").map(s -> new Field(s, true)),
                Arbitraries.of("", "_No response_", "@", "@-x", "@a--b", "@toolong-toolong-toolong-toolong-toolong-x")
                        .map(s -> new Field(s, false)));
        Arbitrary<Field> date = Arbitraries.oneOf(
                Arbitraries.of("2027-01-15", "2030-12-31", "2028-02-29").map(s -> new Field(s, true)),
                Arbitraries.of("", "2027-13-01", "2026-02-30", "15/01/2027", "tomorrow", "2027-1-5")
                        .map(s -> new Field(s, false)));
        Arbitrary<Field> reason = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(40).map(s -> new Field(s, true)),
                Arbitraries.of("", "   ", "_No response_").map(s -> new Field(s, false)));
        return Combinators.combine(tenant, owners, date, reason).as(List::of);
    }

    @Test
    void valuesQuotedInProblemsCannotForgeMarkersMentionOrBreakOut() {
        EvictionForm form = EvictionForm.parse("<!-- offboard:status v1 --> @everyone `x", "@ok, [a](https://evil.example)",
                "tomorrow``<b>", "x");

        assertThat(form.problems()).hasSize(3).allSatisfy(problem -> assertThat(problem)
                .doesNotContain("<!--").doesNotContain("<b>").doesNotContain("\n"));
        assertThat(form.problems().get(0)).contains("``‹!-- offboard:status v1 --› @everyone `x``");
        assertThat(form.problems().get(1)).contains("`[a](https://evil.example)`");
    }
}
