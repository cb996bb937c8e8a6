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


def single_child(client, operation):
    """The name of the reply record's only element, when it has one: zeep then returns that element's value alone
    (XacNhanDaNhan gives 1, not {"Acknowledged": 1}), so it is put back to report the same shape as PHP's SoapClient."""
    body = client.service._binding._operations[operation].output.body
    outer = body.type.elements
    if len(outer) != 1:
        return None
    record = outer[0][1].type
    children = getattr(record, "elements", None)
    if children is not None and len(children) == 1 and not getattr(record, "attributes", []):
        return children[0][0]
    return None


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
            value = json.loads(json.dumps(zeep.helpers.serialize_object(reply, dict), default=str))
            only = single_child(client, call["operation"])
            results.append({"reply": {only: value} if only else value})
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
