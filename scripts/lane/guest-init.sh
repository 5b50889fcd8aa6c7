#!/.bb/sh
# /init of the lane's initramfs. Mounts the host's /usr and /etc (read-only) and the lane work
# folder over 9p, loads the SCSI modules from the shared /usr/lib/modules, runs
# /work/guest-command.sh, records its exit code, and powers off.
export PATH=/.bb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
for m in $(cat /modules.order); do insmod "/modules/$m" || echo "lane-init: insmod $m failed"; done
mkdir -p /usr /etc /repo /work /tmp /run
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro usr /usr || echo "lane-init: 9p /usr failed"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro etc /etc || echo "lane-init: 9p /etc failed"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none work /work || echo "lane-init: 9p /work failed"
mount -t tmpfs -o size=1g tmpfs /tmp
mount -t tmpfs tmpfs /run && mkdir -p /run/lock
for d in bin sbin lib lib64; do [ -e "/usr/$d" ] && ln -s "usr/$d" "/$d"; done
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/.bb HOME=/tmp TMPDIR=/tmp LANG=C.UTF-8
# The repository: read-only from the host, writable in the guest through an overlay whose
# upper layer is guest memory (tools that write caches work; nothing reaches the host).
mkdir -p /mnt/repo-ro /tmp/repo-upper /tmp/repo-work
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro repo /mnt/repo-ro || echo "lane-init: 9p /repo failed"
modprobe overlay || echo "lane-init: modprobe overlay failed"
mount -t overlay -o lowerdir=/mnt/repo-ro,upperdir=/tmp/repo-upper,workdir=/tmp/repo-work overlay /repo \
  || { echo "lane-init: overlay failed, repo read-only"; mount --bind /mnt/repo-ro /repo; }
for m in virtio_scsi sr_mod sg; do modprobe "$m" || echo "lane-init: modprobe $m failed"; done
# Wait for the SCSI scan to create the device nodes (lane.devices= on the kernel command line).
want=2
for arg in $(cat /proc/cmdline); do case "$arg" in lane.devices=*) want="${arg#lane.devices=}" ;; esac; done
i=0
while [ "$i" -lt 150 ]; do
  n=$(ls /dev/sg* 2>/dev/null | wc -l)
  [ "$n" -ge "$want" ] && break
  sleep 0.1; i=$((i + 1))
done
echo "lane-init: up after $(cut -d' ' -f1 /proc/uptime)s; devices: $(ls /dev/sg* /dev/sr* 2>/dev/null | tr '\n' ' ')"
if [ -f /work/guest-command.sh ]; then
  bash /work/guest-command.sh > /work/guest.log 2>&1
  echo $? > /work/guest.exit
else
  echo "lane-init: no /work/guest-command.sh" > /work/guest.log
  echo 127 > /work/guest.exit
fi
sync
GUEST_EXIT=$(cat /work/guest.exit 2>/dev/null)
umount /work 2>/dev/null
echo "lane-init: done, exit $GUEST_EXIT"
poweroff -f
