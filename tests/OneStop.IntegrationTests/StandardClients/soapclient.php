<?php
// Calls a OneStop SOAP endpoint the way a PHP one-stop system does: PHP's SoapClient, generated from the served WSDL.
//
// usage: php soapclient.php CALLS.json
// CALLS.json: {"wsdl": url, "apiKey": key, "calls": [{"operation": name, "arguments": {...}}, ...]}
// Prints one JSON document: {"results": [ {"reply": {...}} | {"fault": {...}} | {"error": "..."} ]}, one per call.

$spec = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
$context = stream_context_create(['http' => ['header' => 'x-api-key: ' . $spec['apiKey'], 'timeout' => 60]]);
$client = new SoapClient($spec['wsdl'], [
    'stream_context' => $context,
    'cache_wsdl' => WSDL_CACHE_NONE,
    'exceptions' => true,
    'trace' => true,
    'features' => SOAP_SINGLE_ELEMENT_ARRAYS,
    'connection_timeout' => 60,
]);

function detailValue($detail, string $name) {
    if ($detail === null) {
        return null;
    }
    $fault = is_object($detail) && isset($detail->LookupFault) ? $detail->LookupFault : $detail;
    return is_object($fault) && isset($fault->$name) ? (string)$fault->$name : null;
}

$results = [];
foreach ($spec['calls'] as $call) {
    try {
        // document/literal wrapped: the one parameter is the operation element's children by name.
        $reply = $client->__soapCall($call['operation'], [$call['arguments']]);
        // SoapClient answers {OperationResult: …}; zeep answers what is inside. Report the inside, as zeep does.
        $wrapper = $call['operation'] . 'Result';
        $results[] = ['reply' => json_decode(json_encode(is_object($reply) && isset($reply->$wrapper) ? $reply->$wrapper : $reply), true)];
    } catch (SoapFault $fault) {
        $detail = $fault->detail ?? null;
        $results[] = ['fault' => [
            'faultcode' => $fault->faultcode,
            'faultstring' => $fault->faultstring,
            'Code' => detailValue($detail, 'Code'),
            'Field' => detailValue($detail, 'Field'),
            'Upstream' => detailValue($detail, 'Upstream'),
        ]];
    } catch (Throwable $error) {
        $results[] = ['error' => get_class($error) . ': ' . $error->getMessage()];
    }
}
echo json_encode(['results' => $results], JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
