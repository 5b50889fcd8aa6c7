# Makes a UDF 2.60 + ISO 9660 image with pycdlib: a directory, files, an empty file, a symlink.
# Usage: /usr/bin/python3 pycdlib-udf-make.py OUT.iso
import io
import sys

import pycdlib

iso = pycdlib.PyCdlib()
iso.new(interchange_level=3, udf="2.60")
iso.add_directory("/DIR1", udf_path="/dir1")
for iso_path, udf_path, data in [
    ("/HELLO.TXT;1", "/hello.txt", b"hello from pycdlib\n"),
    ("/DIR1/DATA.BIN;1", "/dir1/data.bin", bytes(range(256)) * 40),
    ("/EMPTY.;1", "/empty", b""),
]:
    iso.add_fp(io.BytesIO(data), len(data), iso_path, udf_path=udf_path)
iso.add_symlink(udf_symlink_path="/link", udf_target="dir1/data.bin")
iso.write(sys.argv[1])
iso.close()
