package io.labhooks.cli.replay;

import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What a {@link Selector} makes of one scanned record. */
public sealed interface Decision {
    /** Not selected: another source, another reason, another stage. Only counted as scanned. */
    Decision IGNORE = new Ignore();

    static Decision skip(String why) {
        return new Skip(why);
    }

    static Decision publish(ProducerRecord<byte[], byte[]> record) {
        return new Publish(record);
    }

    /** Not selected. */
    record Ignore() implements Decision {
    }

    /** Selected, but not published; counted under {@code why} (a short, fixed text: the totals group by it). */
    record Skip(String why) implements Decision {
        public Skip {
            Objects.requireNonNull(why, "why");
        }
    }

    /** Selected: publish this record. */
    record Publish(ProducerRecord<byte[], byte[]> record) implements Decision {
        public Publish {
            Objects.requireNonNull(record, "record");
        }
    }
}
