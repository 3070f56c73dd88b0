#!/bin/sh
# by-hand.sh REPO_URL KEY OUT PACKAGE...  — the test image as a person would make it without Forgeline, unprivileged
# and offline: dnf --installroot in a bubblewrap user namespace, a stage-1 initramfs (busybox + the kernel's modules),
# mkfs.ext4 -d for the root, a FAT boot partition with syslinux, sfdisk and dd into a 128 MiB disk, qemu-img convert.
set -eu
repo=$1; key=$(realpath "$2"); out=$(realpath -m "$3"); shift 3
cache=$(realpath -m "${CACHE:-$out/cfg/cache}")
rm -rf "$out"; mkdir -p "$out/root" "$out/cfg/home" "$cache" "$out/disk"
cat > "$out/cfg/dnf.conf" <<EOC
[main]
reposdir=/dev/null
install_weak_deps=0
tsflags=nodocs
[tiny]
name=tiny
baseurl=$repo
gpgcheck=1
gpgkey=file:///key.asc
EOC
echo '%_dbpath /var/lib/rpm' > "$out/cfg/home/.rpmmacros"
repodir=${repo#file://}
sandbox() {  # bwrap as uid 0 of a user namespace; the host's root and network stay out
  bwrap --unshare-all --unshare-user --uid 0 --gid 0 --die-with-parent --new-session \
    --cap-add CAP_CHOWN --cap-add CAP_FOWNER --cap-add CAP_FSETID --cap-add CAP_DAC_OVERRIDE --cap-add CAP_SYS_CHROOT --cap-add CAP_SETFCAP --cap-add CAP_SETUID --cap-add CAP_SETGID \
    --ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin --symlink usr/sbin /sbin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
    --proc /proc --dev /dev --tmpfs /tmp --tmpfs /var --dir /var/tmp --ro-bind "$repodir" "$repodir" --ro-bind "$key" /key.asc \
    --bind "$out" /out --bind "$cache" /cache --setenv HOME /out/cfg/home --chdir /out "$@"
}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
t=$(date +%s%N)
sandbox dnf -c /out/cfg/dnf.conf --installroot /out/root --releasever 1 --setopt=cachedir=/cache --assumeyes -q \
  --disablerepo='*' --enablerepo=tiny install "$@" >/dev/null
rm -rf "$out/root/out" "$out/root/var/cache/dnf"
echo "install $(ms $t) ms"; t=$(date +%s%N)

# stage 1: busybox and the kernel's modules; its /init loads them, mounts root= and switch_roots
s="$out/stage1"; mkdir -p "$s/bin" "$s/proc" "$s/sys" "$s/dev" "$s/newroot" "$s/lib/modules"
cp "$out/root/usr/bin/busybox" "$s/bin/" 2>/dev/null || cp "$out/root/bin/busybox" "$s/bin/"
find "$out/root/lib/modules" "$out/root/usr/lib/modules" -name '*.ko*' -exec cp {} "$s/lib/modules/" \; 2>/dev/null || true
cat > "$s/init" <<'EOS'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc; /bin/busybox mount -t devtmpfs dev /dev
for m in /lib/modules/*; do /bin/busybox insmod "$m" 2>/dev/null; done
/bin/busybox mount -t ext4 /dev/vda2 /newroot && exec /bin/busybox switch_root /newroot /sbin/init
EOS
chmod 755 "$s/init"
(cd "$s" && find . | LC_ALL=C sort | cpio -o -H newc --owner=0:0 --quiet) > "$out/disk/stage1.cpio"
cp "$out"/root/boot/vmlinuz-* "$out/disk/vmlinuz"

cat > "$out/disk/pack.sh" <<'EOS'
set -eu
cd /out/disk
mkfs.ext4 -q -F -L flroot -E root_owner=0:0 -d /out/root root.img 95M
mkfs.vfat -C -n FLBOOT boot.img $((32*1024)) >/dev/null
printf 'SERIAL 0 115200\nDEFAULT fl\nTIMEOUT 0\nPROMPT 0\nLABEL fl\n  KERNEL /vmlinuz\n  INITRD /stage1.cpio\n  APPEND console=tty0 console=ttyS0 root=/dev/vda2\n' > syslinux.cfg
export MTOOLS_SKIP_CHECK=1
mcopy -i boot.img vmlinuz stage1.cpio syslinux.cfg ::/
syslinux --install boot.img
truncate -s 128M disk.raw
printf 'label: dos\nstart=2048, size=%d, type=6, bootable\nstart=%d, type=83\n' $((32*2048)) $((33*2048)) | sfdisk -q --no-reread --no-tell-kernel disk.raw
dd if=/usr/lib/syslinux/mbr/mbr.bin of=disk.raw bs=440 count=1 conv=notrunc status=none
dd if=boot.img of=disk.raw bs=1M seek=1 conv=notrunc status=none
dd if=root.img of=disk.raw bs=1M seek=33 conv=notrunc status=none
qemu-img convert -f raw -O qcow2 disk.raw tiny.qcow2
rm -f boot.img root.img disk.raw
EOS
sandbox sh /out/disk/pack.sh
echo "pack $(ms $t) ms"
