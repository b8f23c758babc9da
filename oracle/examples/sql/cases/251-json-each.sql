SELECT key, value, type FROM json_each('{"a": 1, "b": [2], "c": null}');
