#!/usr/bin/env python3
"""Writes the small hostile-input fixtures of tests/hostile (committed; rerun only to
change one). The big and special ones (100 MB line, 1e5 columns, FIFO, directory,
unreadable file, file changing while read) are made at test time by test-hostile.c."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = "id,time,event,group\n1,5,1,A\n2,8,0,A\n3,12,1,B\n4,20,0,B\n"

def row_file(rows, header="id,time,event,group"):
    return (header + "\n" + "\n".join(rows) + "\n").encode()

fixtures = {
    # encodings
    "truncated-utf8.csv": BASE.encode() + "5,7,1,Caf".encode() + b"\xc3",
    "invalid-utf8-byte.csv": BASE.encode() + b"5,7,1,\xff\xfe\n",
    "overlong-utf8.csv": BASE.encode() + b"5,7,1,\xc0\xaf\n",
    "utf8-surrogate.csv": BASE.encode() + b"5,7,1,\xed\xa0\x80\n",
    "bom-in-middle.csv": BASE.encode() + "5,7,1,\ufeffB\n".encode(),
    "bom-in-header-field.csv": "id,\ufefftime,event,group\n1,5,1,A\n2,8,0,B\n".encode(),
    "double-bom.csv": "\ufeff\ufeff".encode() + BASE.encode(),
    "bom-only.csv": "\ufeff".encode(),
    "utf16be.csv": "\ufeff".encode("utf-16-be") + BASE.encode("utf-16-be"),
    "utf32le-bom.csv": b"\xff\xfe\x00\x00" + BASE.encode("utf-32-le"),
    "zero-width-names.csv": "id,time\u200b,event,group\n1,5,1,A\n2,8,0,B\n".encode(),
    "emoji-groups.csv": row_file(["1,5,1,\U0001F600", "2,8,0,\U0001F600", "3,12,1,\u05e9\u05dc\u05d5\u05dd", "4,20,0,\u05e9\u05dc\u05d5\u05dd"]),
    # binary and other formats
    "nul-in-field.csv": BASE.encode() + b"5,7\x00,1,A\n",
    "nul-at-end.csv": BASE.encode() + b"\x00",
    "really-a-pdf.csv": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(0, 64)) + b"\n%%EOF\n",
    "really-a-zip.csv": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(0, 40)) + b"data.csv" + b"\x00" * 8,
    "really-a-png.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 13,
    "really-gzip.csv": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(1, 30)),
    "really-html.csv": b"<!DOCTYPE html>\n<html><head><title>Login</title></head>\n<body><p>Session expired</p></body></html>\n",
    "really-json.csv": b'{"id": 1, "time": 5, "event": 1}\n',
    "control-chars-few.csv": BASE.encode() + b"5,7,1,A\x01B\n",
    # quoting and structure
    "unterminated-quote-last-line.csv": BASE.encode() + b'5,7,1,"B\n',
    "quote-newline-inside.csv": row_file(['1,5,1,"A', 'x"', '2,8,0,B', '3,12,1,"A\nx"', '4,20,0,B']),
    "escaped-quotes.csv": row_file(['1,5,1,"say ""A"""', '2,8,0,"say ""A"""', '3,12,1,B', '4,20,0,B']),
    "quote-in-unquoted.csv": row_file(['1,5,1,A"x', '2,8,0,A"x', '3,12,1,B', '4,20,0,B']),
    "mixed-delimiters.csv": b"id,time,event,group\n1;5;1;A\n2;8;0;A\n3,12,1,B\n4,20,0,B\n",
    "mixed-tab-comma.csv": b"id\ttime\tevent\tgroup\n1\t5\t1\tA\n2,8,0,A\n3\t12\t1\tB\n4\t20\t0\tB\n",
    "lone-cr.csv": BASE.replace("\n", "\r").encode(),
    "mixed-line-ends.csv": b"id,time,event,group\r\n1,5,1,A\n2,8,0,A\r3,12,1,B\r\n4,20,0,B\n",
    "only-delimiters.csv": b",,,\n,,,\n,,,\n",
    "empty-header-names.csv": b",time,,group\n1,5,1,A\n2,8,0,B\n",
    "spaces-everywhere.csv": b"  id , time ,  event , group \n 1 , 5 , 1 , A \n 2 , 8 , 0 , B \n",
    "single-row.csv": b"id,time,event,group\n1,5,1,A\n",
    "single-column.csv": b"time\n5\n8\n12\n",
    "ragged-all-but-one.csv": b"id,time,event,group\n1,5,1\n2,8,0,A,x\n3,12,1,B\n4\n",
    # missing values
    "all-missing-column.csv": row_file(["1,5,1,", "2,8,0,", "3,12,1,NA", "4,20,0,."]),
    "all-missing-time.csv": row_file(["1,NA,1,A", "2,,0,A", "3,.,1,B", "4,-,0,B"]),
    "all-missing-event.csv": row_file(["1,5,NA,A", "2,8,,A", "3,12,.,B", "4,20,N/A,B"]),
    # identifiers
    "duplicate-ids.csv": row_file(["1,5,1,A", "1,8,0,A", "2,12,1,B", "2,20,0,B", "3,7,1,B"]),
    # numbers
    "times-as-dates.csv": row_file(["1,2021-03-04,1,A", "2,2021-05-06,0,A", "3,2021-07-08,1,B", "4,2022-01-02,0,B"]),
    "inf-time.csv": row_file(["1,5,1,A", "2,Inf,0,A", "3,12,1,B", "4,20,0,B"]),
    "huge-exponent.csv": row_file(["1,5,1,A", "2,1e309,0,A", "3,12,1,B", "4,20,0,B"]),
    "negative-zero.csv": row_file(["1,-0,1,A", "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    "zero-time.csv": row_file(["1,0,1,A", "2,0,0,A", "3,12,1,B", "4,20,0,B"]),
    "negative-time.csv": row_file(["1,-3,1,A", "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    "huge-time.csv": row_file(["1,1e308,1,A", "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    "denormal-time.csv": row_file(["1,4.9e-324,1,A", "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    "hex-time.csv": row_file(["1,0x10,1,A", "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    "thousands-separator.csv": row_file(['1,"1,200",1,A', "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    "lowercase-nan-time.csv": row_file(["1,nan,1,A", "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    # event coding
    "events-1-2.csv": row_file(["1,5,2,A", "2,8,1,A", "3,12,2,B", "4,20,1,B"]),
    "events-negative.csv": row_file(["1,5,-1,A", "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    "events-none.csv": row_file(["1,5,0,A", "2,8,0,A", "3,12,0,B", "4,20,0,B"]),
    "events-words.csv": row_file(["1,5,dead,A", "2,8,alive,A", "3,12,Dead,B", "4,20,alive,B"]),
    "events-fraction.csv": row_file(["1,5,0.5,A", "2,8,0,A", "3,12,1,B", "4,20,0,B"]),
    "one-group-only.csv": row_file(["1,5,1,A", "2,8,0,A", "3,12,1,A", "4,20,0,A"]),
}

for name, data in fixtures.items():
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
print(len(fixtures), "fixtures")
