/*
 * api-routes.h: the control API's route table, one API_ROUTE(METHOD,
 * PATTERN, HANDLER) a row: a method (EVHTTP_REQ_METHOD), a path pattern
 * ('*' matches one segment and is handed to the handler) and the handler.
 * api.c builds its table from it; the HTTP fuzz target (tests/fuzz/
 * fuzz_http.c) builds the same table with handlers of its own. Define
 * API_ROUTE before including this file; it is included more than once.
 */

API_ROUTE(GET, "/v1/status", api_status)
API_ROUTE(POST, "/v1/reload", api_reload)
API_ROUTE(GET, "/metrics", api_metrics)
API_ROUTE(GET, "/v1/listings", api_listings_get)
API_ROUTE(POST, "/v1/listings", api_listings_post)
API_ROUTE(POST, "/v1/listings/import", api_listings_import)
API_ROUTE(DELETE, "/v1/listings/*/*", api_listings_delete)
API_ROUTE(GET, "/v1/cases", api_cases_get)
API_ROUTE(POST, "/v1/cases", api_cases_post)
API_ROUTE(GET, "/v1/cases/*", api_case_get)
API_ROUTE(POST, "/v1/cases/*/notes", api_case_note)
API_ROUTE(POST, "/v1/cases/*/appeals", api_case_appeal)
API_ROUTE(POST, "/v1/cases/*/appeals/*/decision", api_case_decision)
API_ROUTE(POST, "/v1/cases/*/reinstated", api_case_reinstated)
API_ROUTE(POST, "/v1/cases/*/abandon", api_case_abandon)
API_ROUTE(POST, "/v1/cases/*/close", api_case_close)
API_ROUTE(POST, "/v1/cases/*/preflight", api_case_preflight)
API_ROUTE(GET, "/v1/cases/*/events", api_case_events)
API_ROUTE(GET, "/v1/cases/*/export", api_case_export)
API_ROUTE(POST, "/v1/cases/*/classify", api_case_classify)
API_ROUTE(GET, "/v1/cases/*/evidence", api_case_evidence)
API_ROUTE(GET, "/v1/cases/*/evidence/*", api_case_evidence_get)
API_ROUTE(GET, "/v1/events", api_events_get)
API_ROUTE(GET, "/v1/outbox", api_outbox_get)
API_ROUTE(POST, "/v1/outbox/retry", api_outbox_retry_dead)
API_ROUTE(POST, "/v1/outbox/*/retry", api_outbox_retry)
API_ROUTE(GET, "/v1/documents", api_docs_get)
API_ROUTE(POST, "/v1/documents", api_docs_post)
API_ROUTE(GET, "/v1/documents/*", api_doc_get)
API_ROUTE(DELETE, "/v1/documents/*", api_doc_delete)
API_ROUTE(GET, "/v1/documents/*/content", api_doc_content)
API_ROUTE(GET, "/v1/cases/*/documents", api_case_documents_get)
API_ROUTE(POST, "/v1/cases/*/documents", api_case_documents_post)
API_ROUTE(DELETE, "/v1/cases/*/documents/*", api_case_document_delete)
API_ROUTE(POST, "/v1/cases/*/ack", api_case_ack)
API_ROUTE(GET, "/v1/conditions", api_conditions_get)
API_ROUTE(POST, "/v1/conditions/*/ack", api_condition_ack)
API_ROUTE(POST, "/v1/shops/*/snooze", api_shop_snooze)
