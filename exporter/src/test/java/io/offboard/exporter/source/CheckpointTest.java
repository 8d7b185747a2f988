package io.offboard.exporter.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CheckpointTest {

    @Test
    void tokensRoundTrip() {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put("orgcode", AttributeValue.fromS("acme"));
        key.put("order_id", AttributeValue.fromS("ORD-\"00003\""));
        key.put("seq", AttributeValue.fromN("12.5"));
        key.put("bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, (byte) 0xfe})));
        Checkpoint checkpoint = Checkpoint.after(2, 4, key);
        assertThat(checkpoint.segment()).isEqualTo(2);
        assertThat(checkpoint.lastEvaluatedKey()).isEqualTo(
                "{\"bin\":{\"B\":\"AQL+\"},\"order_id\":{\"S\":\"ORD-\\\"00003\\\"\"},\"orgcode\":{\"S\":\"acme\"},\"seq\":{\"N\":\"12.5\"}}");
        Checkpoint back = Checkpoint.parse(checkpoint.token());
        assertThat(back).isEqualTo(checkpoint);
        assertThat(back.exclusiveStartKey()).isEqualTo(key);
    }

    @Test
    void segmentEndsMoveToTheNextSegmentThenDone() {
        assertThat(Checkpoint.after(0, 3, null)).isEqualTo(new Checkpoint(1, null));
        assertThat(Checkpoint.after(1, 3, Map.of())).isEqualTo(new Checkpoint(2, null));
        assertThat(Checkpoint.after(2, 3, null)).isEqualTo(Checkpoint.DONE);
        assertThat(Checkpoint.DONE.token()).isEqualTo("done");
        assertThat(Checkpoint.parse("done").isDone()).isTrue();
        assertThat(Checkpoint.parse(Checkpoint.START.token())).isEqualTo(Checkpoint.START);
        assertThat(Checkpoint.START.exclusiveStartKey()).isNull();
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> Checkpoint.parse("{\"x\":1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint(-1, "{}")).isInstanceOf(IllegalArgumentException.class);
    }
}
