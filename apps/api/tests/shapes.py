"""Reading the API's one error shape in tests written against the older field → messages form."""


def legacy(response):
    """An error body checked against the one shape ({code, message, detail, errors[]}), then read
    as the older form: {field: [messages]} (non-field: "non_field_errors"), or {"detail": message}
    when no field is named; extra keys (412's current_version, changes) kept. Other bodies as they are."""
    body = response.json() if hasattr(response, "json") else response
    if not (isinstance(body, dict) and {"code", "message", "detail", "errors"} <= set(body)):
        return body
    assert isinstance(body["code"], str) and body["code"]
    assert body["detail"] == body["message"]
    extra = {k: v for k, v in body.items() if k not in ("code", "message", "detail", "errors")}
    if not body["errors"]:
        return {"detail": body["message"], **extra}
    fields: dict = {}
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"} and error["code"]
        fields.setdefault(error["field"] or "non_field_errors", []).append(error["message"])
    return {**fields, **extra}
