package io.offboard.bot.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.lifecycle.eviction.FormFields;
import org.junit.jupiter.api.Test;

class IssueFormTest {

    /** The body GitHub writes for .github/ISSUE_TEMPLATE/eviction.yml. */
    static final String FORM_BODY = """
            ### Tenant orgcode

            acme

            ### Capability owner(s)

            @alice, @bob

            ### Eviction date (UTC, YYYY-MM-DD)

            2027-01-15

            ### Reason

            Needs GPUs the platform cannot offer.
            Agreed with the owners on 2026-11-20.
            """;

    @Test
    void readsEveryFieldOfTheEvictionForm() {
        FormFields form = IssueForm.parse(FORM_BODY);

        assertThat(form.tenant()).isEqualTo("acme");
        assertThat(form.owners()).isEqualTo("@alice, @bob");
        assertThat(form.evictionDate()).isEqualTo("2027-01-15");
        assertThat(form.reason()).isEqualTo("Needs GPUs the platform cannot offer.\nAgreed with the owners on 2026-11-20.");
    }

    @Test
    void aBodyThatIsNotTheFormHasNoFields() {
        FormFields form = IssueForm.parse("please evict acme next month");

        assertThat(form).isEqualTo(new FormFields(null, null, null, null));
    }

    @Test
    void anEmptyFieldIsGitHubsNoResponse() {
        FormFields form = IssueForm.parse(FORM_BODY.replace("acme", "_No response_"));

        assertThat(form.tenant()).isEqualTo("_No response_");
    }
}
