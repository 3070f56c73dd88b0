namespace Forgeline.Testing.Images;

/// <summary>
/// The RPM specs of the tiny distribution (<see cref="TinyDistribution"/>), built with the host's rpmbuild from what
/// Debian ships: static busybox, Debian's kernel (only the modules a test VM needs) and Debian's rpm binary.
/// Placeholders <c>@NAME@</c> are filled in by <see cref="TinyDistribution"/>.
/// </summary>
public static class TinyDistributionSpecs
{
    /// <summary>Debian's static busybox (busybox-static on the host) and its applet links, except rpm (fl-rpm has the real one).</summary>
    public const string Busybox = """
        Name: fl-busybox
        Version: 1.35.0
        Release: 1
        Summary: busybox (static, from Debian's busybox-static) for Forgeline test images
        License: GPL-2.0
        BuildArch: x86_64
        AutoReqProv: no
        Provides: /bin/sh
        %define _build_id_links none
        %description
        Static busybox plus applet symlinks.
        %install
        mkdir -p %{buildroot}/bin %{buildroot}/sbin %{buildroot}/usr/bin %{buildroot}/usr/sbin
        install -m755 /bin/busybox %{buildroot}/bin/busybox
        for a in $(/bin/busybox --list-full | grep /); do
          case "$a" in bin/busybox|sbin/init|linuxrc|usr/bin/rpm|usr/bin/rpm2cpio) continue;; esac
          [ -e %{buildroot}/$a ] || ln -s /bin/busybox %{buildroot}/$a
        done
        %files
        /bin/*
        /sbin/*
        /usr/bin/*
        /usr/sbin/*
        """;

    /// <summary>PID 1 (mounts /proc, /sys, /dev, prints FL-READY, root shell on the console), accounts, prompt.</summary>
    public const string Base = """
        Name: fl-base
        Version: 1
        Release: 1
        Summary: Forgeline test image base (init, accounts, prompt)
        License: MIT
        BuildArch: noarch
        Requires: fl-busybox
        %description
        An init that mounts the API file systems, prints a ready marker and runs a root shell on the console.
        %install
        mkdir -p %{buildroot}/sbin %{buildroot}/etc %{buildroot}/proc %{buildroot}/sys %{buildroot}/dev %{buildroot}/tmp %{buildroot}/root %{buildroot}/var/lib %{buildroot}/home %{buildroot}/mnt
        cat > %{buildroot}/sbin/fl-init <<'EOS'
        #!/bin/sh
        # PID 1 of the Forgeline test image
        mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
        mount -t tmpfs tmp /tmp
        mount -o remount,rw / 2>/dev/null
        hostname fl-test
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
        [ -x /etc/fl-autorun ] && /etc/fl-autorun </dev/console >/dev/console 2>&1
        echo "FL-READY $(cat /etc/fl-release 2>/dev/null)" > /dev/console
        while true; do setsid cttyhack sh -l; done
        EOS
        chmod 755 %{buildroot}/sbin/fl-init
        ln -s fl-init %{buildroot}/sbin/init
        printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/:/bin/false\n' > %{buildroot}/etc/passwd
        printf 'root:x:0:\ndaemon:x:1:\n' > %{buildroot}/etc/group
        printf 'root:!:20000:0:99999:7:::\ndaemon:!:20000:0:99999:7:::\n' > %{buildroot}/etc/shadow
        printf 'PS1="fl# "\nexport PS1\n' > %{buildroot}/etc/profile
        echo "forgeline-test 1" > %{buildroot}/etc/fl-release
        %files
        /sbin/fl-init
        /sbin/init
        %config(noreplace) /etc/passwd
        %config(noreplace) /etc/group
        %config(noreplace) %attr(0600,root,root) /etc/shadow
        /etc/profile
        /etc/fl-release
        %dir /proc
        %dir /sys
        %dir /dev
        %dir /tmp
        %dir /root
        %dir /var/lib
        %dir /home
        %dir /mnt
        """;

    /// <summary>The project package; <c>@VERSION@</c> is 1.0 or 1.1.</summary>
    public const string Hello = """
        Name: fl-hello
        Version: @VERSION@
        Release: 1
        Summary: the test project's package: prints its version
        License: MIT
        BuildArch: noarch
        Requires: fl-busybox
        %description
        Prints its version.
        %install
        mkdir -p %{buildroot}/usr/bin
        printf '#!/bin/sh\necho "fl-hello @VERSION@"\n' > %{buildroot}/usr/bin/fl-hello
        chmod 755 %{buildroot}/usr/bin/fl-hello
        %files
        /usr/bin/fl-hello
        """;

    /// <summary>
    /// Debian's kernel repacked: vmlinuz, config and the modules of <c>@KX@</c> (a <c>dpkg -x</c> tree holding only
    /// those), depmod'ed. <c>@KV@</c> is the release (6.1.0-57-amd64), <c>@KVER@</c> the upstream version.
    /// </summary>
    public const string Kernel = """
        Name: fl-kernel
        Version: @KVER@
        Release: 1
        Summary: Linux @KV@ from Debian's linux-image package, only the modules a test VM needs
        License: GPL-2.0
        BuildArch: x86_64
        AutoReqProv: no
        %define _build_id_links none
        %description
        vmlinuz + virtio, ext4, isofs, bochs DRM modules.
        %install
        mkdir -p %{buildroot}/boot %{buildroot}/lib/modules
        cp @KX@/boot/vmlinuz-@KV@ @KX@/boot/config-@KV@ %{buildroot}/boot/
        cp -r @KX@/lib/modules/@KV@ %{buildroot}/lib/modules/
        depmod -b %{buildroot} @KV@
        %files
        /boot/vmlinuz-@KV@
        /boot/config-@KV@
        /lib/modules/@KV@
        """;

    /// <summary>Debian's rpm binary and its shared-library closure, so a guest can <c>/usr/bin/rpm -q</c> and <c>-Uvh</c>.</summary>
    public const string Rpm = """
        Name: fl-rpm
        Version: 4.18.0
        Release: 1
        Summary: rpm for Forgeline test images (Debian's binary and its library closure)
        License: GPL-2.0
        BuildArch: x86_64
        AutoReqProv: no
        %define _build_id_links none
        %description
        rpm + libs.
        %install
        for f in /usr/bin/rpm $(ldd /usr/bin/rpm | awk '$3 ~ /^\// {print $3} $1 ~ /^\/lib64/ {print $1}'); do
          r=$(readlink -f $f); mkdir -p %{buildroot}$(dirname $f); cp $r %{buildroot}$f
        done
        mkdir -p %{buildroot}/usr/lib/rpm %{buildroot}/etc/rpm
        cp /usr/lib/rpm/rpmrc /usr/lib/rpm/macros %{buildroot}/usr/lib/rpm/
        cp -r /usr/lib/rpm/platform %{buildroot}/usr/lib/rpm/
        echo '%%_dbpath /var/lib/rpm' > %{buildroot}/etc/rpm/macros.fl-dbpath
        %files
        /usr/bin/rpm
        /usr/lib/rpm
        /etc/rpm/macros.fl-dbpath
        /lib64
        /lib/x86_64-linux-gnu
        """;

    /// <summary>The kernel modules fl-kernel keeps (file names without <c>.ko</c>).</summary>
    public static readonly IReadOnlyList<string> KernelModules =
    [
        "virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio_pci", "virtio_blk", "virtio_scsi", "virtio_console",
        "crc16", "mbcache", "jbd2", "crc32c_generic", "ext4", "scsi_common", "scsi_mod", "cdrom", "sr_mod", "isofs",
        "drm", "drm_kms_helper", "ttm", "drm_ttm_helper", "drm_vram_helper", "bochs",
    ];
}
