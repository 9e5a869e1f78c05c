package io.labhooks.peers.floor;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The floor of an HTTP-to-Kafka hop on the JVM: {@code POST /hooks/{anything}} reads the body without
 * holding a thread (partial reads, as labhooks' {@code WebhookHandler} does), calls {@code producer.send} and answers
 * {@code 200 {"status":"accepted"}} from the ack callback. No auth, no checks, no headers on the record,
 * no worker pool, no metrics. The producer has labhooks' ingress settings
 * ({@code KafkaRawPublisher.producerConfig} with the default config: 1 MiB max body, 2 s ack timeout).
 */
public final class UndertowFloor {
    private static final Logger LOG = LoggerFactory.getLogger(UndertowFloor.class);
    /** labhooks' default {@code max-body-bytes} (1 MiB); only caps the initial buffer here. */
    static final int MAX_BODY = 1024 * 1024;
    /** labhooks' default {@code max-body-bytes} + its record overhead (64 KiB). */
    static final int MAX_REQUEST_SIZE = MAX_BODY + 64 * 1024;
    /** labhooks' default {@code ack-timeout} (2 s), which it uses as {@code max.block.ms}. */
    static final long MAX_BLOCK_MS = 2000;
    private static final byte[] ACCEPTED = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNAVAILABLE = "{\"status\":\"error\",\"error\":\"unavailable: try again\"}"
            .getBytes(StandardCharsets.US_ASCII);

    private UndertowFloor() {
    }

    /** labhooks' {@code KafkaRawPublisher.producerConfig} with an empty {@code kafka.properties}. */
    static Map<String, Object> producerConfig(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "undertow-floor");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_SIZE);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** A running floor: its port, and {@link #close()} to stop the server and then the producer. */
    public static final class Running implements AutoCloseable {
        private final Undertow undertow;
        private final KafkaProducer<String, byte[]> producer;
        private final int port;

        private Running(Undertow undertow, KafkaProducer<String, byte[]> producer, int port) {
            this.undertow = undertow;
            this.producer = producer;
            this.port = port;
        }

        public int port() {
            return port;
        }

        @Override
        public void close() {
            undertow.stop();
            producer.close();
        }
    }

    /**
     * Starts the floor on {@code host:port} (0: a free port) sending to {@code topic}; used by {@link #main} and,
     * in process, by {@code labhooks bench ingress} (this file is compiled into the bench module as it is).
     */
    public static Running start(String bootstrap, String host, int port, String topic) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap));
        HttpHandler hooks = ex -> handle(ex, producer, topic);
        // The same IO thread count as labhooks' ingress with io-threads: 0.
        int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        Undertow undertow = Undertow.builder()
                .setIoThreads(ioThreads)
                .setWorkerThreads(4)
                .setSocketOption(Options.BACKLOG, 1024)
                .setHandler(new PathHandler().addPrefixPath("/hooks", hooks))
                .addHttpListener(port, host)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
        int bound = ((java.net.InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return new Running(undertow, producer, bound);
    }

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = setting(args, "bootstrap", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        int port = Integer.parseInt(setting(args, "port", "PORT", "18083"));
        String topic = setting(args, "topic", "TOPIC", "labhooks.raw.v1");

        Running floor = start(bootstrap, "0.0.0.0", port, topic);
        LOG.info("undertow-floor listening on http://0.0.0.0:{}/hooks/{source}, topic {}, bootstrap {}", floor.port(), topic, bootstrap);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            floor.close();
            stopped.countDown();
        }, "undertow-floor-shutdown"));
        stopped.await();
    }

    private static void handle(HttpServerExchange ex, KafkaProducer<String, byte[]> producer, String topic) {
        if (!Methods.POST.equals(ex.getRequestMethod())) {
            ex.setStatusCode(405);
            ex.getResponseHeaders().put(Headers.ALLOW, "POST");
            ex.endExchange();
            return;
        }
        // Read the body as labhooks' WebhookHandler does: partial reads into a buffer sized from Content-Length.
        // (Not receiveFullBytes: in Undertow 2.3.27 it copies byte by byte through ByteArrayOutputStream.write(int),
        // which a profile showed costing more than everything else at 25 KiB bodies.)
        long declared = ex.getRequestContentLength();
        ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.min(MAX_BODY, declared > 0 ? declared : 8192));
        ex.getRequestReceiver().receivePartialBytes((exchange, chunk, last) -> {
            buf.write(chunk, 0, chunk.length);
            if (last) {
                byte[] body = buf.toByteArray();
                // Keep the exchange open after this callback returns; send on the same (IO) thread.
                exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, UUID.randomUUID().toString(), body);
                    try {
                        producer.send(record, (meta, err) -> exchange.getIoThread().execute(() ->
                                answer(exchange, err == null ? 200 : 503, err == null ? ACCEPTED : UNAVAILABLE)));
                    } catch (RuntimeException e) {
                        answer(exchange, 503, UNAVAILABLE);
                    }
                });
            }
        }, (exchange, e) -> {
            exchange.setStatusCode(400);
            exchange.setPersistent(false);
            exchange.endExchange();
        });
    }

    private static void answer(HttpServerExchange ex, int status, byte[] body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** {@code --name=value}, else the environment variable, else the default. */
    static String setting(String[] args, String name, String env, String dflt) {
        String prefix = "--" + name + "=";
        for (String a : args) {
            if (a.startsWith(prefix)) {
                return a.substring(prefix.length());
            }
        }
        String v = System.getenv(env);
        return v == null || v.isEmpty() ? dflt : v;
    }
}
