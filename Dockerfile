# syntax=docker/dockerfile:1

# Build stage: the fat jar, tests skipped (CI runs them).
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# Run stage: a JRE, the jar and the sample settings, running as an unprivileged user.
FROM eclipse-temurin:17-jre
RUN groupadd --system apogee \
 && useradd --system --gid apogee --home-dir /opt/apogee --no-create-home \
      --shell /usr/sbin/nologin apogee
WORKDIR /opt/apogee
COPY --from=build /src/target/apogee.jar /opt/apogee/apogee.jar
COPY conf/ /opt/apogee/conf/
# A class-data sharing archive of everything a start loads, written by one start-and-stop here:
# the JVM then maps those classes instead of reading and verifying them (ready in about two thirds
# of the time). Built with this image's JVM and jar path, the only ones it is valid for.
RUN set -e; mkdir /tmp/cds; cd /tmp/cds; \
    java -XX:ArchiveClassesAtExit=/opt/apogee/apogee.jsa -jar /opt/apogee/apogee.jar >start.log 2>&1 & \
    pid=$!; \
    for i in $(seq 1 600); do grep -q "ready in" start.log && break; sleep 0.1; done; \
    grep "ready in" start.log || { cat start.log; exit 1; }; \
    kill -TERM "$pid"; wait "$pid" || true; \
    test -s /opt/apogee/apogee.jsa; chmod a+r /opt/apogee/apogee.jsa; cd /; rm -rf /tmp/cds
# The data directory exists and belongs to apogee before the volume is declared, so a fresh named
# volume starts with that owner.
RUN mkdir -p /opt/apogee/data && chown apogee:apogee /opt/apogee/data
USER apogee
VOLUME /opt/apogee/data
EXPOSE 9876 10911 10912 8080
ENTRYPOINT ["java","-XX:SharedArchiveFile=/opt/apogee/apogee.jsa","-jar","/opt/apogee/apogee.jar"]
