# syntax=docker/dockerfile:1
# Webphone server image: built with the Maven wrapper on a JDK, run on a JRE as a non-root user.
#   docker build -t webphone .
#   docker run -p 8080:8080 webphone
# Configuration comes from environment variables (Spring Boot relaxed binding), e.g.
#   WEBPHONE_ICE_SERVERS_0_URLS=turn:turn.example.org:3478  WEBPHONE_ICE_SERVERS_0_SHAREDSECRET=...
# See docs/deployment.md.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace
# Wrapper and POM first: dependency downloads are cached until the POM changes.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:resolve dependency:resolve-plugins
COPY src src
# Tests run in CI (.ci/run); the image build only packages.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -DskipTests package \
 && java -Djarmode=tools -jar target/webphone-*.jar extract --layers --launcher --destination target/extracted

FROM eclipse-temurin:17-jre
# curl is for the HEALTHCHECK: current Temurin images no longer ship it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system webphone \
 && useradd --system --gid webphone --home-dir /app --no-create-home --shell /usr/sbin/nologin webphone
WORKDIR /app
# One layer per Spring Boot layer, least often changed first, so a code change ships only the last.
COPY --from=build /workspace/target/extracted/dependencies/ ./
COPY --from=build /workspace/target/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/target/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/target/extracted/application/ ./
# ./data holds state worth keeping, such as the self-signed certificate (webphone.tls.self-signed).
RUN mkdir -p /app/data && chown webphone:webphone /app/data
VOLUME /app/data
USER webphone

# A fixed heap, sized for the capacity we plan for: signalling only, no media through the JVM.
# The JVM reads JAVA_TOOL_OPTIONS itself; override it with `-e JAVA_TOOL_OPTIONS=...`.
ENV JAVA_TOOL_OPTIONS="-Xms512m -Xmx512m -XX:+ExitOnOutOfMemoryError"
# What the health check asks: liveness, which a relay's unreachable phone system does not fail, and which
# stays on the server port when the actuator has a port of its own. With HTTPS use
# https://127.0.0.1:8443/livez (-k accepts a self-signed certificate, fine for a request to ourselves).
ENV HEALTHCHECK_URL="http://127.0.0.1:8080/livez"

# 8080: HTTP (default server.port); 8443: HTTPS, when SERVER_PORT=8443 and TLS is configured.
EXPOSE 8080 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsSk --max-time 4 "$HEALTHCHECK_URL" > /dev/null || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
