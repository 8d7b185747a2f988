package io.offboard.bot.github;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Paging follows the query (per_page, cursor) of GitHub's next link, on the configured API URL only. */
class AppHookDeliveriesLinkTest {

    @Test
    void onlyTheQueryOfTheNextLinkIsTakenWhateverHostItNames() {
        assertThat(AppHookDeliveries.nextQuery("<https://elsewhere.example/app/hook/deliveries?per_page=100&cursor="
                + "v1_42>; rel=\"next\", <https://api.github.com/app/hook/deliveries?per_page=100>; rel=\"first\""))
                .isEqualTo("per_page=100&cursor=v1_42");
    }

    @Test
    void thereIsNoNextPageWithoutANextLink() {
        assertThat(AppHookDeliveries.nextQuery("<https://api.github.com/app/hook/deliveries?per_page=100>; "
                + "rel=\"first\"")).isNull();
    }
}
