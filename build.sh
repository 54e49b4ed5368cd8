#! /bin/sh
## build.sh <command> [--option=value]   Build, test and try xcluster-cni.
##

prg=$(basename $0)
dir=$(cd "$(dirname "$0")" && pwd)
me=$dir/$prg
tmp=/tmp/${prg}_$$

die() {
	echo "ERROR: $*" >&2
	rm -rf $tmp
	exit 1
}
help() {
	grep '^##' $me | cut -c4-
	rm -rf $tmp
	exit 0
}
test -n "$1" || help
echo "$1" | grep -qi "^help\|-h" && help

log() {
	echo "$prg: $*" >&2
}

##   env      Print the settings the other commands use (JAVA_HOME, versions, output dir)
cmd_env() {
	test "$envread" = "yes" && return 0
	envread=yes
	test -n "$JAVA_HOME" || JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
	export JAVA_HOME
	test -x "$JAVA_HOME/bin/java" || die "No JDK at JAVA_HOME=$JAVA_HOME (Java 25 is needed)"
	# Maven's own guava calls sun.misc.Unsafe; JDK 25 warns about it on every run.
	export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
	test -n "$__out" || __out=$dir/_output
	test -n "$__version" || __version=$(sed -n 's,^  <version>\(.*\)</version>,\1,p' $dir/pom.xml | head -1)
	if test "$cmd" = "env"; then
		echo "JAVA_HOME=$JAVA_HOME"
		echo "__out=$__out"
		echo "__version=$__version"
		"$JAVA_HOME/bin/java" -version 2>&1 | head -1
		mvn -B -v 2>/dev/null | head -1
	fi
}

##   build    Compile and lay out runnable programs in _output/bin (jlink'd runtime included)
cmd_build() {
	cmd_env
	cd $dir
	# Each module's runtime class path is copied to target/lib: drop what an earlier build left.
	rm -rf */target/lib
	mvn -B -q -Dstyle.color=never -DskipTests -DskipITs package || die "mvn package"
	rm -rf $__out
	mkdir -p $__out/bin $__out/lib/xcluster-cni
	cp router/target/router-*.jar router/target/lib/*.jar $__out/lib/xcluster-cni/
	local mods
	mods=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps \
		--multi-release 25 --class-path "$__out/lib/xcluster-cni/*" \
		$__out/lib/xcluster-cni/router-*.jar) || die "jdeps"
	# TLS to the API server needs the EC and naming providers that jdeps cannot see.
	"$JAVA_HOME/bin/jlink" --add-modules "$mods,jdk.crypto.ec,java.naming,jdk.unsupported" \
		--strip-debug --no-header-files --no-man-pages --compress=zip-6 \
		--output $__out/runtime || die "jlink"
	prune_security_providers $__out/runtime "$__out/lib/xcluster-cni/*"
	launcher xcluster-cni io.xcluster.cni.router.RouterMain > $__out/bin/xcluster-cni
	chmod 755 $__out/bin/xcluster-cni
	router_train $__out
	log "built $__out/bin/xcluster-cni ($($__out/bin/xcluster-cni version))"
	build_kube_node
}

# build_kube_node
#   Lays out the kube-node CNI plugin, self-contained, for the installer to copy to the host:
#     _output/kube-node/bin/kube-node   the launcher (finds everything relative to itself)
#     _output/kube-node/runtime/        a jlink'd runtime with only the modules it needs
#     _output/kube-node/lib/            the plugin jar, then its dependencies
#     _output/kube-node/kube-node.aot   JDK 25 AOT cache from a training run of a warm ADD
#   and _output/bin/kube-node, a symlink to the launcher. The launcher also works as a copy
#   next to the directory renamed kube-node.d: /opt/cni/bin/kube-node + /opt/cni/bin/kube-node.d/.
build_kube_node() {
	local kn=$__out/kube-node
	rm -rf $kn
	mkdir -p $kn/bin $kn/lib $__out/bin
	cp kube-node-ipam/target/kube-node-ipam-$__version.jar $kn/lib/kube-node-ipam.jar
	cp kube-node-ipam/target/lib/*.jar $kn/lib/
	local mods
	mods=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps \
		--multi-release 25 --class-path "$kn/lib/*" $kn/lib/kube-node-ipam.jar) || die "jdeps"
	# TLS to the API server (cold path) needs the EC and naming providers jdeps cannot see.
	"$JAVA_HOME/bin/jlink" --add-modules "$mods,jdk.crypto.ec,java.naming,jdk.unsupported" \
		--strip-debug --no-header-files --no-man-pages \
		--output $kn/runtime || die "jlink kube-node"
	prune_security_providers $kn/runtime "$kn/lib/*"
	# The class path in a fixed order (the AOT cache checks it): the plugin, then the rest.
	kube_node_launcher "$(fixed_class_path $kn/lib kube-node-ipam.jar '$home/lib')" \
		> $kn/bin/kube-node
	chmod 755 $kn/bin/kube-node
	ln -sf ../kube-node/bin/kube-node $__out/bin/kube-node
	kube_node_train $kn
	log "built $__out/bin/kube-node ($($__out/bin/kube-node --version 2>&1 | head -1))"
}

# prune_security_providers <runtime> <class-path>
#   Lists in the runtime's java.security only the providers whose modules it has. The JDK looks
#   for a configured provider it does not have with a ServiceLoader over the class path, which
#   instantiates every provider there: for kube-node, BouncyCastle from client-java's dependencies,
#   ~250 ms of a cold ADD (400 classes, and the verification of the signed jar) as soon as
#   anything (okhttp) lists the providers. Then checks that listing them loads no class from the
#   class path.
prune_security_providers() {
	local sec=$1/conf/security/java.security mods
	mods=" $("$1/bin/java" --list-modules | sed 's/@.*//' | tr '\n' ' ') "
	awk -v mods="$mods" '
		BEGIN {
			split("SunJGSS=java.security.jgss SunSASL=java.security.sasl XMLDSig=java.xml.crypto " \
				"SunPCSC=java.smartcardio JdkLDAP=java.naming JdkSASL=jdk.security.jgss " \
				"SunPKCS11=jdk.crypto.cryptoki SunMSCAPI=jdk.crypto.mscapi", pairs, " ")
			for (i in pairs) { split(pairs[i], kv, "="); module[kv[1]] = kv[2] }
		}
		/^security\.provider\.[0-9]+=/ {
			name = substr($0, index($0, "=") + 1); split(name, w, " ")
			if (w[1] in module && index(mods, " " module[w[1]] " ") == 0) next
			print "security.provider." ++n "=" name; next
		}
		{ print }' $sec > $sec.new && mv $sec.new $sec || die "prune $sec"
	if "$1/bin/java" -cp "$2" -Xlog:class+load -XshowSettings:security:providers -version 2>&1 |
		grep -q 'source: file:'; then
		die "$1: listing the security providers loads classes from the class path"
	fi
}

# kube_node_launcher <class-path>
kube_node_launcher() {
	cat <<LAUNCHER
#! /bin/sh
# kube-node CNI plugin launcher, written by build.sh. Finds its home from its own path:
# <home>/bin/kube-node (or a symlink to it), or a copy next to <dir>/kube-node.d/.
# Start-up flags: C1 only, Serial GC, no perf data file, a small heap, the AOT cache when
# present (made with these flags; a cache that does not fit is ignored, never fatal).
# JVM warnings go to stderr: stdout carries only the CNI result.
self=\$(readlink -f "\$0")
home=\${self%/*/*}
test -x "\$home/runtime/bin/java" || home=\${self%/*}/kube-node.d
aot=
test -r "\$home/kube-node.aot" && aot="-XX:AOTCache=\$home/kube-node.aot"
exec "\$home/runtime/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xms16m -Xmx256m \\
	\$aot -Xlog:disable -Xlog:all=warning:stderr \$KUBE_NODE_JAVA_OPTS \\
	-cp "$1" io.xcluster.cni.ipam.KubeNodeIpamMain "\$@"
LAUNCHER
}

# kube_node_train <dir>
#   Records the AOT cache with a training run of a warm ADD against the real host-local
#   (/usr/lib/cni, or CNI_PATH). Without host-local the plugin is shipped without a cache.
kube_node_train() {
	local kn=$1 cnipath=${CNI_PATH:-/usr/lib/cni} t=$tmp/kube-node-train
	if ! test -x $cnipath/host-local; then
		log "no host-local in $cnipath: kube-node is built without an AOT cache"
		return 0
	fi
	mkdir -p $t
	printf '%s\n' 'items:' '- metadata: {name: train}' \
		'  spec: {podCIDRs: [10.0.0.0/24, "fd00::/64"]}' > $t/nodes.yaml
	local conf="{\"cniVersion\":\"1.1.0\",\"name\":\"train\",\"ipam\":{\"type\":\"kube-node\",\"nodeName\":\"train\",\"nodesFile\":\"$t/nodes.yaml\",\"dataDir\":\"$t/data\"}}"
	# The first ADD fills the cache (cold); the training run is a warm ADD, then a DEL.
	echo "$conf" | CNI_COMMAND=ADD CNI_CONTAINERID=cold CNI_IFNAME=eth0 CNI_NETNS=/dev/null \
		CNI_PATH=$cnipath $kn/bin/kube-node > $t/cold.out ||
		die "kube-node cold ADD: $(cat $t/cold.out)"
	echo "$conf" | CNI_COMMAND=ADD CNI_CONTAINERID=train CNI_IFNAME=eth0 CNI_NETNS=/dev/null \
		CNI_PATH=$cnipath KUBE_NODE_JAVA_OPTS="-XX:AOTCacheOutput=$kn/kube-node.aot" \
		$kn/bin/kube-node > $t/train.out 2> $t/train.err ||
		die "kube-node training run: $(cat $t/train.out $t/train.err)"
	test -s $kn/kube-node.aot || die "kube-node: the training run wrote no AOT cache"
	rm -rf $t
}

# router_train <output>
#   Records the router's AOT cache (<output>/lib/xcluster-cni/xcluster-cni.aot) with a training
#   run of the daemon as a node runs it: in a throw-away network namespace, a fake API server over
#   HTTPS with 200 busy Nodes, the first full reconcile, a scrape of /metrics and /readyz, then
#   SIGTERM. It needs root (a network namespace); without, the router is built without a cache
#   and starts slower and larger. Without AOT class linking the archived classes load on demand:
#   3 MiB less RSS than loading all at start, and no slower to the first reconcile.
router_train() {
	local out=$1 t=$tmp/router-train ns=xcni-train-$$ api= daemon= i
	if test "$(id -u)" != 0 || ! ip netns add $ns 2>/dev/null; then
		log "no network namespace (needs root): the router is built without an AOT cache"
		return 0
	fi
	mkdir -p $t
	ip -n $ns link set lo up
	ip -n $ns link add veth0 type veth peer name veth1
	ip -n $ns addr add 172.16.0.1/12 dev veth0
	ip -n $ns -6 addr add fd00:192:168::1/64 dev veth0 nodad
	ip -n $ns link set veth0 up && ip -n $ns link set veth1 up
	mkfifo $t/api.in
	ip netns exec $ns "$JAVA_HOME/bin/java" -cp "$dir/e2e/target/lib/*" \
		io.xcluster.cni.testing.FakeApiServerMain --https --token train --nodes 200 \
		--realistic --kubeconfig $t/kubeconfig < $t/api.in > $t/api.out 2>&1 &
	api=$!
	exec 7> $t/api.in
	for i in $(seq 100); do grep -q '^ready' $t/api.out && break; sleep 0.1; done
	ip netns exec $ns env NODE_NAME=node-0 \
		XCLUSTER_JAVA_OPTS="-XX:AOTCacheOutput=$out/lib/xcluster-cni/xcluster-cni.aot -XX:-AOTClassLinking" \
		$out/bin/xcluster-cni daemon --kubeconfig $t/kubeconfig --lock-dir $t \
		--metrics-address 127.0.0.1:9720 > $t/daemon.log 2>&1 &
	daemon=$!
	for i in $(seq 300); do grep -q 'First full reconcile done' $t/daemon.log && break; sleep 0.1; done
	echo 'annotate node-1 example.com/train=1' >&7
	ip netns exec $ns bash -c 'for p in /metrics /readyz /healthz; do
		exec 5<>/dev/tcp/127.0.0.1/9720 && printf "GET %s HTTP/1.0\r\n\r\n" $p >&5 &&
		cat <&5 > /dev/null; done' 2>/dev/null
	sleep 1
	kill -TERM $daemon
	wait $daemon
	echo quit >&7
	exec 7>&-
	wait $api
	ip netns del $ns
	if ! grep -q 'First full reconcile done' $t/daemon.log ||
		! test -s $out/lib/xcluster-cni/xcluster-cni.aot; then
		cat $t/daemon.log >&2
		die "router: the training run wrote no AOT cache"
	fi
	rm -rf $t
}

# fixed_class_path <dir> <first-jar> <prefix>
#   The jars of <dir> as a class path, <first-jar> first, then the rest in name order, each as
#   <prefix>/<jar>: a launcher's class path in a fixed order, which an AOT cache checks (a
#   wildcard would follow the directory's order).
fixed_class_path() {
	local f cp=$3/$2
	for f in $(cd $1 && ls *.jar | grep -vFx "$2"); do
		cp="$cp:$3/$f"
	done
	echo "$cp"
}

# launcher <lib-dir> <main-class>
#   A start script that finds its own runtime and class path, wherever _output is moved.
launcher() {
	local cp
	cp=$(fixed_class_path $__out/lib/$1 router-$__version.jar "\$top/lib/$1")
	cat <<LAUNCHER
#! /bin/sh
# $1 launcher, written by build.sh.
top=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")
# A small, steady footprint for a per-node daemon: Serial GC, compact object headers, a heap
# capped at 64 MiB (~16 MiB live with 5 000 Nodes), a young generation of a fifth of it, that
# gives back what is free beyond 10 % at once after a full collection (the daemon makes one
# after its first full reconcile); C1 only (the C2 compiler costs ~14 MiB of RSS; route latency
# and resync time stay within their goals, see docs/benchmarks.md); no hsperfdata file; and the
# AOT cache recorded at build time when present (made with these flags; a cache that does not
# fit is ignored, never fatal).
export MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2}
aot=
test -r "\$top/lib/$1/$1.aot" && aot="-XX:AOTCache=\$top/lib/$1/$1.aot"
exec "\$top/runtime/bin/java" -XX:+UseSerialGC -XX:+UseCompactObjectHeaders -Xms16m -Xmx64m \\
	-XX:NewRatio=4 -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:-ShrinkHeapInSteps -Xss512k \\
	-XX:MaxMetaspaceSize=96m -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m \\
	-XX:TrimNativeHeapInterval=1000 \\
	-XX:-UsePerfData \$aot -Xlog:disable -Xlog:all=warning:stderr \\
	--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \\
	\$XCLUSTER_JAVA_OPTS -cp "$cp" $2 "\$@"
LAUNCHER
}

##   test     Formatting check, unit tests, and (as root) kernel tests and the e2e in namespaces
cmd_test() {
	cmd_env
	prerequisites
	cd $dir
	mvn -B -Dstyle.color=never spotless:check || die "Formatting: run 'mvn spotless:apply'"
	# The e2e runs the programs as a node runs them: from _output.
	cmd_build
	rm -rf */target/surefire-reports */target/failsafe-reports
	mvn -B -Dstyle.color=never verify
	local rc=$?
	echo # Maven may leave a partial line (colour resets): the summary stands alone.
	test_summary
	return $rc
}

# test_summary
#   One line over every module's surefire and failsafe reports:
#   "tests: N passed, N failed, N skipped".
test_summary() {
	cat $dir/*/target/surefire-reports/TEST-*.xml \
		$dir/*/target/failsafe-reports/TEST-*.xml 2>/dev/null \
	| sed -n 's,^<testsuite [^>]*,&,p' | awk '
		{
			for (i = 1; i <= NF; i++) {
				if (split($i, kv, "=") != 2) continue
				gsub(/"/, "", kv[2])
				if (kv[1] == "tests") t += kv[2]
				else if (kv[1] == "failures" || kv[1] == "errors") f += kv[2]
				else if (kv[1] == "skipped") s += kv[2]
			}
		}
		END { printf "tests: %d passed, %d failed, %d skipped\n", t - f - s, f, s }'
}

##   e2e      The multi-node e2e outside Maven (as root): ends with "e2e: N passed, N failed"
cmd_e2e() {
	cmd_env
	prerequisites
	cmd_build
	local source
	for source in file api; do
		in_switch_namespace io.xcluster.cni.e2e.E2eMain --repo $dir --output $__out \
			--source $source || return 1
	done
}

##   demo     A 3-node cluster in network namespaces, shown step by step, then removed (as root)
cmd_demo() {
	cmd_env
	prerequisites
	cmd_build > /dev/null
	in_switch_namespace io.xcluster.cni.e2e.DemoMain $dir
}

##   bench    Benchmarks against their baselines (as root) [--quick] [--only=NAME]
##            [--docs=DIR]: DIR/benchmarks.md (default docs/)
cmd_bench() {
	cmd_env
	prerequisites
	cmd_build > /dev/null
	test "$(id -u)" = 0 || die "The benchmarks use network namespaces: run as root"
	set --
	test "$__quick" = yes && set -- --quick
	test -n "$__only" && set -- "$@" --only $__only
	"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
		--sun-misc-unsafe-memory-access=allow -cp "$dir/bench/target/classes:$dir/bench/target/lib/*" \
		io.xcluster.cni.bench.BenchMain --docs ${__docs:-$dir/docs} --output $__out "$@"
}

# in_switch_namespace <main-class> [args...]
#   Runs an e2e program inside a fresh switch namespace (the nodes reach the API server it
#   hosts there), and removes the namespace afterwards.
in_switch_namespace() {
	test "$(id -u)" = 0 || die "Network namespaces need root"
	local sw=xcni-sw-$$ main=$1 rc
	shift
	ip netns add $sw || die "ip netns add $sw"
	trap "ip netns del $sw 2> /dev/null; die Interrupted" INT TERM
	ip netns exec $sw ip link set lo up
	if test "$main" = io.xcluster.cni.e2e.E2eMain; then
		set -- --switch $sw "$@"
	else
		set -- $sw "$@"
	fi
	ip netns exec $sw "$JAVA_HOME/bin/java" -cp "$dir/e2e/target/classes:$dir/e2e/target/lib/*" \
		$main "$@"
	rc=$?
	ip netns del $sw
	trap - INT TERM
	return $rc
}

# prerequisites
#   The Debian packages the tests and the demo use; installed when missing and we are root.
prerequisites() {
	local missing=
	test -x /usr/lib/cni/host-local || missing="$missing containernetworking-plugins"
	which ip > /dev/null 2>&1 || missing="$missing iproute2"
	which ping > /dev/null 2>&1 || missing="$missing iputils-ping"
	test -n "$missing" || return 0
	test "$(id -u)" = 0 || die "Missing Debian packages:$missing (install them as root)"
	log "Installing$missing"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $missing > /dev/null \
		|| die "apt-get install$missing"
}

##   image    Build the container image [--tag=repo:version]; says plainly when no engine runs
cmd_image() {
	cmd_env
	test -n "$__tag" || __tag=ghcr.io/xcluster-cni/xcluster-cni:$__version
	command -v docker > /dev/null 2>&1 || \
		die "No container engine: 'docker' is not installed. The image cannot be built here."
	docker info > /dev/null 2>&1 || \
		die "No container engine: 'docker info' fails (no daemon reachable). The image cannot be built here."
	DOCKER_BUILDKIT=1 docker build -f $dir/Dockerfile -t $__tag $dir || die "docker build $__tag"
	log "built image $__tag"
}

# Get the command
cmd=$1
shift
grep -q "^cmd_$cmd()" $0 || die "Invalid command [$cmd]"

while echo "$1" | grep -q '^--'; do
	if echo $1 | grep -q =; then
		o=$(echo "$1" | cut -d= -f1 | sed -e 's,-,_,g')
		v=$(echo "$1" | cut -d= -f2-)
		eval "$o=\"$v\""
	else
		o=$(echo "$1" | sed -e 's,-,_,g')
		eval "$o=yes"
	fi
	shift
done
unset o v
long_opts=`set | grep '^__' | cut -d= -f1`

# Execute command
trap "die Interrupted" INT TERM
cmd_$cmd "$@"
status=$?
rm -rf $tmp
exit $status
