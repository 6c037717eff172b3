# Two stages: build the shaded server jar with Maven, then run it on a plain JRE.
#   docker build -t parley .
#   docker run -p 8080:8080 -v parley-data:/data parley
# Configuration is by PARLEY_* environment variables (see README.md).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin parley \
 && mkdir -p /app /data \
 && chown parley:parley /data
COPY --from=build /src/server/target/parley-server.jar /app/parley-server.jar
ENV PARLEY_DATA_DIR=/data
VOLUME /data
USER parley
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["java","-jar","/app/parley-server.jar"]
