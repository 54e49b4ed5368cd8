#! /bin/sh
##
## build.sh --
##
##   Build, test and try xcluster-cni. Commands:
##
## Each command is a shell function cmd_<name>; the "##" lines are the help text.

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
	grep '^##' $me | cut -c3-
	rm -rf $tmp
	exit 0
}
test -n "$1" || help
echo "$1" | grep -qi "^help\|-h" && help

log() {
	echo "$prg: $*" >&2
}

##   env
##     Print the settings the other commands use.
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
		mvn -v 2>/dev/null | head -1
	fi
}

##   build
##     Compile, package and lay out runnable programs in _output/:
##     _output/bin/xcluster-cni (the router) on a jlink'd runtime.
cmd_build() {
	cmd_env
	cd $dir
	mvn -B -q -DskipTests -DskipITs package || die "mvn package"
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
	launcher xcluster-cni io.xcluster.cni.router.RouterMain > $__out/bin/xcluster-cni
	chmod 755 $__out/bin/xcluster-cni
	log "built $__out/bin/xcluster-cni ($($__out/bin/xcluster-cni version))"
}

# launcher <lib-dir> <main-class>
#   A start script that finds its own runtime and class path, wherever _output is moved.
launcher() {
	cat <<LAUNCHER
#! /bin/sh
# $1 launcher, written by build.sh.
top=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")
exec "\$top/runtime/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \\
	\$XCLUSTER_JAVA_OPTS -cp "\$top/lib/$1/*" $2 "\$@"
LAUNCHER
}

##   test
##     Check formatting, run every unit test, and (as root) every kernel and
##     process test in network namespaces. Ends with Maven's test summary.
cmd_test() {
	cmd_env
	cd $dir
	mvn -B spotless:check || die "Formatting: run 'mvn spotless:apply'"
	mvn -B verify
}

##   image [--tag=repository:version]
##     Build the container image (Dockerfile: the build runs inside a Temurin 25
##     JDK image). Needs a container engine; says so plainly when there is none.
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
