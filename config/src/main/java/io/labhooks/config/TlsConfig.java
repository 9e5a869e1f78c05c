package io.labhooks.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The optional HTTPS listener. Either PEM ({@code certificate} and {@code private-key}) or a
 * PKCS12 {@code keystore} with its password.
 */
public record TlsConfig(int port, Path certificate, Path privateKey, Path keystore, Secret keystorePassword) {

    public boolean isPem() {
        return certificate != null;
    }

    public Path requireKeystore() {
        return Objects.requireNonNull(keystore, "keystore");
    }
}
