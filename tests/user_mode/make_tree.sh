#!/bin/sh
# make_tree.sh DIR: the file tree of guest/sys_files.c (DIR/root and DIR/outside.txt), fresh.
set -eu
d=$1
rm -rf "$d"
mkdir -p "$d/root/sub" "$d/root/empty"
printf 'hello\n' > "$d/root/a.txt"
printf 'bee\n' > "$d/root/sub/b.txt"
printf 'SECRET\n' > "$d/outside.txt"
ln -s ../a.txt "$d/root/sub/rel_link"
ln -s /a.txt "$d/root/sub/abs_link"
ln -s ../../../../outside.txt "$d/root/sub/up_link"
ln -s sub "$d/root/dir_link"
