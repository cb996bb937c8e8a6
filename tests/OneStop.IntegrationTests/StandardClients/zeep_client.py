"""Calls a OneStop SOAP endpoint the way a Python one-stop system does: Python's zeep, generated from the served WSDL.

usage: python3 zeep_client.py CALLS.json
CALLS.json: {"wsdl": url, "apiKey": key, "calls": [{"operation": name, "arguments": {...}}, ...]}
Prints one JSON document: {"results": [ {"reply": {...}} | {"fault": {...}} | {"error": "..."} ]}, one per call.
"""
import json
import sys

import requests
import zeep
import zeep.exceptions
import zeep.helpers
from zeep.transports import Transport


def text(node, name):
    found = node.find(".//{*}" + name) if node is not None else None
    return found.text if found is not None else None


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    session = requests.Session()
    session.headers["x-api-key"] = spec["apiKey"]
    client = zeep.Client(spec["wsdl"], transport=Transport(session=session, timeout=60, operation_timeout=60))
    results = []
    for call in spec["calls"]:
        try:
            reply = client.service[call["operation"]](**call["arguments"])
            results.append({"reply": json.loads(json.dumps(zeep.helpers.serialize_object(reply, dict), default=str))})
        except zeep.exceptions.Fault as fault:
            detail = fault.detail
            results.append({"fault": {
                "faultcode": fault.code,
                "faultstring": fault.message,
                "Code": text(detail, "Code"),
                "Field": text(detail, "Field"),
                "Upstream": text(detail, "Upstream"),
            }})
        except Exception as error:  # reported to the test, which fails on it
            results.append({"error": type(error).__name__ + ": " + str(error)})
    json.dump({"results": results}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
