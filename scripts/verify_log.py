#!/usr/bin/env python3
"""Checks a sitecheck visit log without sitecheck (SPEC section 5): the hash chain, every
seal's ed25519 signature, and optionally a customer's receipt code.

    verify_log.py LOG [--receipt CODE] [--key BASE64_PUBLIC_KEY]

Needs only Python 3 and the `cryptography` package (Debian: python3-cryptography).
Exit 0 when everything holds, 1 otherwise; one line per finding.
"""
import base64, hashlib, json, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def receipt(hash_hex):
    bits = int(hash_hex[:13], 16) >> 2  # the first 50 bits
    code = "".join(CROCKFORD[(bits >> (45 - 5 * i)) & 31] for i in range(10))
    return code[:5] + "-" + code[5:]


def main(argv):
    path, args = argv[1], dict(zip(argv[2::2], argv[3::2]))
    ok, prev, prev_seq, visit, hashes = True, "", None, None, []
    for number, line in enumerate(open(path, encoding="utf-8").read().splitlines(), 1):
        body, sep, rest = line.rpartition(',"hash":"')
        digest = rest[:-2]
        if not sep or hashlib.sha256(f"{prev}\n{body}}}".encode()).hexdigest() != digest:
            print(f"line {number}: the hash chain breaks here"); return 1
        event = json.loads(line)
        visit = visit or event.get("visit")
        if event["event"] == "sealed":
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(event["key"]))
            message = f"sitecheck-seal-v1\n{visit}\n{prev_seq}\n{event['head']}".encode()
            try:
                if event["head"] != prev:
                    raise ValueError("head")
                key.verify(base64.b64decode(event["sig"]), message)
                trusted = args.get("--key") in (None, event["key"])
                print(f"line {number}: seal holds" + ("" if trusted else " (another key)"))
                ok &= trusted
            except Exception:
                print(f"line {number}: the seal does not hold"); ok = False
        prev, prev_seq = digest, event["seq"]
        hashes.append(digest)
    print(f"{len(hashes)} lines, chain holds")
    code = args.get("--receipt", "").upper().replace(" ", "")
    if code:
        held = [i + 1 for i, h in enumerate(hashes) if receipt(h) == code]
        print(f"receipt {code}: " + (f"held by line {held[0]}" if held else "not in this log"))
        ok &= bool(held)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
