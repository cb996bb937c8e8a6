# syntax=docker/dockerfile:1
# OneStop hub image (target "hub", the default) and the fake national systems (target "mocks", for compose and
# integrators). Build from the repository root:  docker build -t onestop-hub .   /   docker build --target mocks -t onestop-mocks .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so a source change does not re-download packages.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Hub.Host/ Hub.Host/
COPY Adapters/ Adapters/
COPY Schemas/ Schemas/
COPY Mappings/ Mappings/
COPY mocks/ mocks/
RUN dotnet publish Hub.Host/OneStop.Hub.Host/OneStop.Hub.Host.csproj -c Release -o /out/hub \
 && dotnet publish Hub.Host/OneStop.Cli/OneStop.Cli.csproj -c Release -o /out/cli \
 && dotnet publish mocks/OneStop.Mocks/OneStop.Mocks.csproj -c Release -o /out/mocks

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS mocks
WORKDIR /app
COPY --from=build /out/mocks .
# The fakes listen on 127.0.0.1 only: in compose the hubs share this container's network (network_mode: service:mocks).
USER $APP_UID
ENTRYPOINT ["dotnet", "OneStop.Mocks.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS hub
WORKDIR /app
COPY --from=build /out/hub .
# The command line (onestop kafka topics --apply, evidence verify|archive, clients new-key) ships beside the hub.
COPY --from=build /out/cli /app/cli
# What the hub writes: the local state store (a cache of the compacted topics, rebuilt when lost) and inbound
# attachments (claim-check files: keep them on a volume, shared by every instance).
RUN mkdir -p /var/lib/onestop/state /var/lib/onestop/attachments && chown -R $APP_UID /var/lib/onestop
ENV DOTNET_ENVIRONMENT=Production \
    Kestrel__Endpoints__Grpc__Url=http://0.0.0.0:5081 \
    Kestrel__Endpoints__Http__Url=http://0.0.0.0:5080 \
    State__Path=/var/lib/onestop/state \
    Inbound__AttachmentsPath=/var/lib/onestop/attachments
VOLUME /var/lib/onestop/attachments
EXPOSE 5080 5081
# Non-root: the image's built-in unprivileged user (uid 1654).
USER $APP_UID
# /health answers "Healthy" when the hub and its Kafka cluster are up; the image has no curl, so bash asks it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q Healthy <&3"]
ENTRYPOINT ["dotnet", "OneStop.Hub.Host.dll"]
