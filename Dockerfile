# syntax=docker/dockerfile:1
#
# The xcluster-cni image: the router daemon (CMD) and its installer on a jlink'd runtime; kube-node
# with the runtime it runs on the host; host-local and bridge. Build: ./build.sh image
#
# Where host-local and bridge come from: Debian bookworm's containernetworking-plugins package,
# version pinned (the same 1.1.1 the project's tests run against). They are dynamically linked
# and need glibc >= 2.34 on the host; the installer only puts them on nodes that lack them or
# have an older version (Debian's builds report "version unknown", so an existing copy stays).
#
# Base images are pinned by tag; pin them by digest where the registry can be reached.

# ---- build: Maven on Temurin 25; ./build.sh build lays out _output/ ----
FROM maven:3.9.11-eclipse-temurin-25-noble AS build
WORKDIR /src
COPY pom.xml build.sh ./
COPY testing testing
COPY annotations annotations
COPY router router
COPY kube-node-ipam kube-node-ipam
COPY e2e e2e
COPY bench bench
# The AOT caches come from training runs: kube-node's needs host-local (/usr/lib/cni), the router's
# a network namespace (root with CAP_NET_ADMIN). An unprivileged build stage has neither and lays
# out both programs without a cache: they work, start slower, and the router takes ~8 MiB more.
# With BuildKit, `docker buildx build --allow security.insecure` and `RUN --security=insecure`
# here (plus iproute2 and containernetworking-plugins in this stage) records them.
RUN --mount=type=cache,target=/root/.m2 ./build.sh build

# ---- cni-plugins: Debian's host-local and bridge ----
FROM debian:bookworm-20251117-slim AS cni-plugins
RUN apt-get update \
 && apt-get install -y --no-install-recommends containernetworking-plugins=1.1.1+ds1-3+b5 \
 && rm -rf /var/lib/apt/lists/*

# ---- runtime ----
FROM debian:bookworm-20251117-slim
LABEL org.opencontainers.image.title="xcluster-cni" \
      org.opencontainers.image.description="Routed (no tunnel) Kubernetes pod network" \
      org.opencontainers.image.licenses="Apache-2.0"
# The router: launcher, runtime and jars, as build.sh lays them out (the launcher finds the rest
# relative to itself).
COPY --from=build /src/_output/bin/xcluster-cni /opt/xcluster-cni/bin/xcluster-cni
COPY --from=build /src/_output/runtime /opt/xcluster-cni/runtime
COPY --from=build /src/_output/lib/xcluster-cni /opt/xcluster-cni/lib/xcluster-cni
# kube-node, self-contained (launcher, runtime, jars, AOT cache): copied whole onto the host.
COPY --from=build /src/_output/kube-node /opt/xcluster-cni/kube-node
COPY --from=cni-plugins /usr/lib/cni/host-local /usr/lib/cni/bridge /opt/xcluster-cni/cni-plugins/
ENV PATH=/opt/xcluster-cni/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/opt/xcluster-cni/bin/xcluster-cni", "daemon"]
