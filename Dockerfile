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
# The data directory exists and belongs to apogee before the volume is declared, so a fresh named
# volume starts with that owner.
RUN mkdir -p /opt/apogee/data && chown apogee:apogee /opt/apogee/data
USER apogee
VOLUME /opt/apogee/data
EXPOSE 9876 10911 10912 8080
ENTRYPOINT ["java","-jar","/opt/apogee/apogee.jar"]
