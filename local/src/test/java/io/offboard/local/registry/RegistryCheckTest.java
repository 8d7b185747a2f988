package io.offboard.local.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.registry.RegistryCheck;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import io.offboard.local.support.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryCheckTest {

    private EmbeddedStack stack;

    @BeforeAll
    void start() {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        DemoPlatform.seed(stack.dynamo(), stack.s3());
        LocalBot.useStackCredentials(stack);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void theRegistryCoversTheDemoPlatformThenReportsATableAddedWithoutIt() {
        RegistryCheck.Report before = RegistryCheck.run(Registry.bundled(), stack.dynamo(), stack.s3(),
                name -> name.startsWith("offboard_"));
        assertThat(before.findings()).isEmpty();
        assertThat(cli().exit()).isZero();

        stack.dynamo().createTable(b -> b.tableName("loyalty_points")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("orgcode")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("orgcode").keyType(KeyType.HASH).build()));
        stack.s3().createBucket(b -> b.bucket("g3n-loyalty-exports"));

        RegistryCheck.Report after = RegistryCheck.run(Registry.bundled(), stack.dynamo(), stack.s3(),
                name -> name.startsWith("offboard_"));
        assertThat(after.uncovered()).extracting(RegistryCheck.Finding::name)
                .containsExactly("loyalty_points", "g3n-loyalty-exports");
        CliRun run = cli();
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("uncovered: table loyalty_points is not in registry.yml")
                .contains("uncovered: bucket g3n-loyalty-exports is not in registry.yml")
                .contains("2 uncovered");
    }

    private CliRun cli() {
        return CliRun.of("registry", "check",
                "--dynamodb-endpoint", stack.dynamoEndpoint().toString(),
                "--s3-endpoint", stack.s3Endpoint().toString());
    }
}
