# Walks one namespace of an ISO image with pycdlib and prints {path: entry} as JSON.
# Usage: /usr/bin/python3 pycdlib-walk.py IMAGE rr|joliet|iso
import hashlib
import json
import sys

import pycdlib

path, ns = sys.argv[1], sys.argv[2]
iso = pycdlib.PyCdlib()
iso.open(path)
facade = {"rr": iso.get_rock_ridge_facade, "joliet": iso.get_joliet_facade, "iso": iso.get_iso9660_facade}[ns]()
out = {}
for dirname, dirs, files in facade.walk("/"):
    base = "" if dirname == "/" else dirname
    for d in dirs:
        out[base + "/" + d] = {"type": "directory"}
    for f in files:
        p = base + "/" + f
        rec = facade.get_record(p)
        if rec.rock_ridge is not None and rec.rock_ridge.is_symlink():
            if ns == "rr":
                out[p] = {"type": "symlink", "target": rec.rock_ridge.symlink_path().decode()}
            else:
                # Outside Rock Ridge a symbolic link is an empty file.
                out[p] = {"type": "file", "size": 0, "sha256": hashlib.sha256(b"").hexdigest()}
            continue
        h = hashlib.sha256()
        size = [0]

        class Sink:
            def write(self, b):
                h.update(b)
                size[0] += len(b)

        facade.get_file_from_iso_fp(Sink(), p)
        out[p] = {"type": "file", "size": size[0], "sha256": h.hexdigest()}
iso.close()
json.dump(out, sys.stdout)
