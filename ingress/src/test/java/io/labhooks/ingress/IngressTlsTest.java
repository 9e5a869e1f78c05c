package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional native TLS listener end to end, with a key pair and a self-signed certificate generated in the test
 * by the JDK's {@code keytool} (PKCS12), and the same key exported to PEM: an HTTPS POST from a client that trusts
 * it gets a 200 and lands in the raw topic; plain HTTP to the TLS port, garbage and stalled handshakes and an
 * untrusting client get a closed connection, leak nothing into the log, and leave the server serving.
 */
class IngressTlsTest {
    static final String STORE_PASSWORD = "keystore-pw-V6b9-never-logged";
    static final String TOKEN = "tls-bearer-Z1k5-never-logged";

    @TempDir
    static Path dir;
    static KafkaCluster kafka;
    static Path keystore;

    @BeforeAll
    static void start() throws Exception {
        keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "labhooks", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        kafka = KafkaProvider.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.RAW, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static String yaml(String tls) {
        return """
                ingress: {host: 127.0.0.1, port: 0, read-timeout: 2s, idle-timeout: 2s, ack-timeout: 1s, tls: %s}
                sources:
                  - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["%s"]}}
                """.formatted(tls, TOKEN);
    }

    static String p12Yaml() {
        return yaml("{port: 0, keystore: \"" + keystore + "\", keystore-password: \"" + STORE_PASSWORD + "\"}");
    }

    static KeyStore load() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        return ks;
    }

    static HttpClient trustingClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("labhooks", load().getCertificate("labhooks"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpResponse<String> postHttps(HttpClient client, int port, String token, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hooks/flabs"))
                .timeout(Duration.ofSeconds(9)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpsPostFromATrustingClientIsAcceptedAndLandsInTheRawTopic() throws Exception {
        try (YamlIngress f = new YamlIngress(kafka.bootstrapServers(), p12Yaml())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/health/ready").statusCode() == 200);
            int port = f.server.tlsPort().orElseThrow();
            assertThat(port).isNotEqualTo(f.server.port()).isPositive();
            byte[] body = "{\"eventType\":\"bill.created\",\"tls\":true}".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = postHttps(trustingClient(), port, TOKEN, body);
            assertThat(r.statusCode()).isEqualTo(200);
            // HTTP/1.1: see IngressServer (the ALPN stage of HTTP/2 has no timeout)
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            String id = r.headers().firstValue(Headers.HTTP_DELIVERY_ID).orElseThrow();
            ConsumerRecord<String, byte[]> rec = IngressFixture.readRaw(kafka.bootstrapServers(), Integer.MAX_VALUE, Duration.ofSeconds(3))
                    .stream().filter(x -> x.key().equals(id)).findFirst().orElseThrow();
            assertThat(rec.value()).isEqualTo(body);
            assertThat(postHttps(trustingClient(), port, "wrong", body).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aPemCertificateAndKeyServeHttpsToo() throws Exception {
        KeyStore ks = load();
        Certificate cert = ks.getCertificate("labhooks");
        byte[] pkcs8 = ks.getKey("labhooks", STORE_PASSWORD.toCharArray()).getEncoded();
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
        try (YamlIngress f = new YamlIngress(kafka.bootstrapServers(),
                yaml("{port: 0, certificate: \"" + certPem + "\", private-key: \"" + keyPem + "\"}"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/health/ready").statusCode() == 200);
            assertThat(postHttps(trustingClient(), f.server.tlsPort().orElseThrow(), TOKEN, "{}".getBytes(StandardCharsets.UTF_8))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void plainHttpGarbageAndStalledHandshakesAreCutOffLeakNothingAndTheServerGoesOn() throws Exception {
        try (LogCapture logs = new LogCapture("io.labhooks", "io.undertow", "org.xnio");
             YamlIngress f = new YamlIngress(kafka.bootstrapServers(), p12Yaml())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/health/ready").statusCode() == 200);
            int port = f.server.tlsPort().orElseThrow();
            // plain HTTP, credentials and all, to the TLS port
            try (RawHttp c = new RawHttp(port, Duration.ofSeconds(8))) {
                c.sendTolerant(RawHttp.ascii("POST /hooks/flabs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                        + "\r\nContent-Length: 2\r\n\r\n{}"));
                RawHttp.Answer a = c.answer();
                assertThat(a.closed()).isTrue();
                assertThat(a.text()).doesNotContain(TOKEN).doesNotContain("HTTP/1.1 2");
            }
            // random bytes instead of a ClientHello
            Random r = new Random(443);
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[1 + r.nextInt(2000)];
                r.nextBytes(junk);
                if (i % 2 == 0) {
                    junk[0] = 0x16; // looks like a handshake record
                }
                try (RawHttp c = new RawHttp(port, Duration.ofSeconds(8))) {
                    c.sendTolerant(junk);
                    c.socket().shutdownOutput();
                    assertThat(c.answer().closed()).as("junk %d", i).isTrue();
                }
            }
            // a handshake record header announcing 16 KiB, then nothing: the idle timeout cuts it
            long t0 = System.nanoTime();
            try (RawHttp c = new RawHttp(port, Duration.ofSeconds(9))) {
                c.send(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00, 0x01});
                assertThat(c.answer().closed()).isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            // 50 connections that never say a word: closed by the idle timeout (2 s), not held
            List<RawHttp> silent = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    silent.add(new RawHttp(port, Duration.ofSeconds(9)));
                }
                for (RawHttp c : silent) {
                    assertThat(c.answer().closed()).isTrue();
                }
            } finally {
                for (RawHttp c : silent) {
                    c.close();
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(12));
            // a client that does not trust the self-signed certificate
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> postHttps(untrusting, port, TOKEN, "{}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(SSLHandshakeException.class);
            // the server goes on, over TLS and plain HTTP
            assertThat(postHttps(trustingClient(), port, TOKEN, "{\"after\":1}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            assertThat(f.get("/health/live").statusCode()).isEqualTo(200);
            for (String line : logs.lines()) {
                assertThat(line).doesNotContain(TOKEN).doesNotContain(STORE_PASSWORD).doesNotContainIgnoringCase("authorization:");
            }
        }
    }
}
