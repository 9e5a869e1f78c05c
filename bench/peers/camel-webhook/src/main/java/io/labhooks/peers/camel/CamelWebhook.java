package io.labhooks.peers.camel;

import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * {@code POST /hooks/{source}} on Camel's platform-http (Vert.x) to the kafka component with
 * {@code acks=all} and a synchronous producer, answering {@code 200 {"status":"accepted"}} after the send
 * completed. Everything else is Camel's default (camel-kafka: idempotent, linger.ms=5, batch 16 KiB).
 */
public final class CamelWebhook extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/hooks/{source}?httpMethodRestrict=POST")
                .routeId("webhook")
                .process(e -> e.getMessage().setHeader(KafkaConstants.KEY, UUID.randomUUID().toString()))
                .to("kafka:{{webhook.topic}}?brokers={{webhook.bootstrap}}&requestRequiredAcks=all&synchronous=true"
                        + "&keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                        + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                // do not echo the request headers back in the answer
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(constant("{\"status\":\"accepted\"}"));
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = setting(args, "bootstrap", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        int port = Integer.parseInt(setting(args, "port", "PORT", "18082"));
        String topic = setting(args, "topic", "TOPIC", "labhooks.raw.v1");

        Main main = new Main(CamelWebhook.class);
        main.addInitialProperty("webhook.bootstrap", bootstrap);
        main.addInitialProperty("webhook.topic", topic);
        main.addInitialProperty("camel.main.name", "camel-webhook");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                // camel-main's own HTTP server (camel.server.*) needs camel-platform-http-main, which is not
                // on Maven Central for 4.22.0; this is the documented standalone Vert.x server instead.
                VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
                conf.setBindHost("0.0.0.0");
                conf.setBindPort(port);
                try {
                    m.getCamelContext().addService(new VertxPlatformHttpServer(conf));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot add the Vert.x HTTP server", e);
                }
            }
        });
        main.run();
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
