package io.labhooks.peers.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SpringWebhookApplication {
    public static void main(String[] args) {
        SpringApplication.run(SpringWebhookApplication.class, args);
    }
}
