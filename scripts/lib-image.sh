# Shell functions shared by the image scripts (sourced, not run).

# copy_with_libs STAGE SRC DST: copy the program SRC to STAGE/DST with
# every shared library ldd lists for it, at the same paths.
copy_with_libs() {
	_stage=$1 _src=$2 _dst=$3
	mkdir -p "$(dirname "$_stage/$_dst")"
	# The stage's applet links point at /bin/busybox, which on this host
	# is the host's own: never write through a link.
	rm -f "$_stage/$_dst"
	cp "$_src" "$_stage/$_dst"
	ldd "$_src" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' |
	while read -r _lib; do
		_d=$_stage$(dirname "$_lib")
		mkdir -p "$_d"
		[ -e "$_d/$(basename "$_lib")" ] || cp -L "$_lib" "$_d/"
	done
}
