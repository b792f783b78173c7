#!/usr/bin/env bash
# Fetches the Kafka broker and its slf4j binding from Maven Central into the cache directory: a small
# generated pom, whose runtime classpath maven-dependency-plugin copies into libs/. Idempotent.
source "$(dirname "$0")/../lib/common.sh"
command -v mvn >/dev/null || fail "Maven is not installed; run scripts/install/prerequisites.sh."
stamp="$KAFKA_HOME_DIR/.installed"
if [ -f "$stamp" ] && ls "$KAFKA_HOME_DIR/libs/kafka_$KAFKA_SCALA_VERSION-$KAFKA_VERSION.jar" >/dev/null 2>&1; then
  step "Kafka $KAFKA_VERSION already in $KAFKA_HOME_DIR"
  exit 0
fi
step "Fetching Kafka $KAFKA_VERSION (Scala $KAFKA_SCALA_VERSION) from Maven Central"
mkdir -p "$KAFKA_HOME_DIR"
cat > "$KAFKA_HOME_DIR/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>p2p-escrow</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>$KAFKA_VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_$KAFKA_SCALA_VERSION</artifactId>
      <version>$KAFKA_VERSION</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>$LOG4J_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
rm -rf "$KAFKA_HOME_DIR/libs"
mvn -q -B -f "$KAFKA_HOME_DIR/pom.xml" "$MAVEN_DEPENDENCY_PLUGIN:copy-dependencies" \
  -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME_DIR/libs"
touch "$stamp"
