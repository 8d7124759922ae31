# One image for every worker kind; docker-compose.yml picks the subcommand.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package && \
    mkdir -p /app && cp cli/target/cli-*.jar /app/contrastream.jar && \
    tr ':' '\n' < cli/target/classpath.txt | xargs -I{} cp {} /app/ && \
    ls /app/*.jar | tr '\n' ':' > /app/classpath.txt

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /app /app
ENV JAVA_OPTS="-Xmx4g -Dai.djl.offline=true"
# glibc malloc thresholds: see the comment in the ./contrastream launcher
ENV MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp \"$(cat /app/classpath.txt)\" io.contrastream.cli.ContrastreamCli \"$@\"", "contrastream"]
