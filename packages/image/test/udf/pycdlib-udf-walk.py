# Walks the UDF tree of an image with pycdlib and prints {path: entry} as JSON.
# Usage: /usr/bin/python3 pycdlib-udf-walk.py IMAGE
import hashlib
import io
import json
import sys

import pycdlib

iso = pycdlib.PyCdlib()
iso.open(sys.argv[1])
udf = iso.get_udf_facade()
out = {}
for dirname, dirs, files in udf.walk("/"):
    base = "" if dirname == "/" else dirname
    for d in dirs:
        out[base + "/" + d] = {"type": "directory"}
    for f in files:
        p = base + "/" + f
        buf = io.BytesIO()
        udf.get_file_from_iso_fp(buf, p)
        data = buf.getvalue()
        out[p] = {"type": "file", "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
iso.close()
print(json.dumps(out))
