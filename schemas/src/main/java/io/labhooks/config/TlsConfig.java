package io.labhooks.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The optional HTTPS listener. Either PEM ({@code certificate} and {@code private-key}) or a
 * PKCS12 {@code keystore} with its password.
 */
public record TlsConfig(int port, Path certificate, Path privateKey, Path keystore, Secret keystorePassword) {
    public TlsConfig {
        boolean pem = certificate != null && privateKey != null;
        boolean p12 = keystore != null;
        if (pem == p12) {
            throw new IllegalArgumentException("TLS needs either certificate and private-key (PEM) or keystore (PKCS12)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tls.port out of range");
        }
    }

    public boolean isPem() {
        return certificate != null;
    }

    public Path requireKeystore() {
        return Objects.requireNonNull(keystore, "keystore");
    }
}
