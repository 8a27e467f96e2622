//! Operations into draft requests: the path and its parameters, the query and form body, the
//! response and the error body.

use super::*;

impl Lowerer<'_> {
    pub(super) fn operation(
        &mut self,
        path: &str,
        method: Method,
        operation_id: &str,
        (shared_params, path_ptr): (&[ReferenceOr<Parameter>], &Pointer),
        op: &openapiv3::Operation,
        ptr: &Pointer,
    ) -> Result<(), Error> {
        let index = self.out.operations.len();
        let owner = Owner::Operation(index);
        let mut params: Vec<DraftParam> = Vec::new();
        let mut encoding = BodyEncoding::Form;
        let all: Vec<(Pointer, &ReferenceOr<Parameter>)> = shared_params
            .iter()
            .enumerate()
            .map(|(i, p)| (path_ptr.push("parameters").push(&i.to_string()), p))
            .chain(op.parameters.iter().enumerate().map(|(i, p)| (ptr.push("parameters").push(&i.to_string()), p)))
            .collect();
        for (pptr, p) in all {
            let ReferenceOr::Item(p) = p else {
                return Err(Error::at(&pptr, "`$ref` parameters are not supported").hint("write the parameter inline"));
            };
            let (data, location) = match p {
                Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
                Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
                Parameter::Header { parameter_data, .. } | Parameter::Cookie { parameter_data, .. } => {
                    let place = if matches!(p, Parameter::Header { .. }) { "header" } else { "cookie" };
                    return Err(Error::at(&pptr.push("in"), format!("parameter `{}` is in a {place}, which is not supported", parameter_data.name))
                        .hint("only path, query and form-body parameters are supported; the client sets Stripe's headers itself"));
                }
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(Error::at(
                    &pptr.push("content"),
                    format!("parameter `{}` uses `content`, which is not supported; use `schema`", data.name),
                ));
            };
            let ctx = NameCtx { owner, suffix: camel_ident(&data.name), items: false };
            let (ty, nullable) = self.schema(schema, &pptr.push("schema"), &ctx)?;
            let doc = self.docs.of(data.description.as_deref());
            let required = data.required || location == ParamLocation::Path;
            params.push(DraftParam {
                field: DraftField { wire: data.name.clone(), doc, ty, required: required && !nullable, constant: None },
                location,
            });
        }
        if let Some(body) = &op.request_body {
            let bptr = ptr.push("requestBody");
            let ReferenceOr::Item(body) = body else {
                return Err(
                    Error::at(&bptr, "`$ref` request bodies are not supported").hint("write the request body inline")
                );
            };
            let supported = [
                ("application/x-www-form-urlencoded", BodyEncoding::Form),
                ("multipart/form-data", BodyEncoding::Multipart),
            ];
            let Some((media_type, media, chosen)) =
                supported.iter().find_map(|(t, e)| body.content.get(*t).map(|m| (*t, m, *e)))
            else {
                let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
                return Err(Error::at(
                    &bptr.push("content"),
                    format!("request body media type {} is not supported", types.join(", ")),
                )
                .hint("bodies must be application/x-www-form-urlencoded or multipart/form-data"));
            };
            encoding = chosen;
            let sptr = bptr.push("content").push(media_type).push("schema");
            if let Some(schema) = &media.schema {
                let (properties, required) = match schema {
                    ReferenceOr::Item(s) => object_parts(s),
                    ReferenceOr::Reference { reference } => {
                        let name = self.component_name(reference, &sptr)?;
                        match self.doc.components.as_ref().and_then(|c| c.schemas.get(&name)) {
                            Some(ReferenceOr::Item(s)) => object_parts(s),
                            _ => None,
                        }
                    }
                }
                .ok_or_else(|| {
                    Error::at(&sptr, "a form body must be an object with properties")
                        .hint("describe the body as `type: object` with `properties`")
                })?;
                for (wire, prop) in properties {
                    let pptr = sptr.push("properties").push(wire);
                    if params.iter().any(|p| &p.field.wire == wire) {
                        return Err(Error::at(
                            &pptr,
                            format!("body parameter `{wire}` has the same name as a path or query parameter"),
                        ));
                    }
                    let ctx = NameCtx { owner, suffix: camel_ident(wire), items: false };
                    let field = self.field(wire, prop, required.contains(wire), &pptr, &ctx)?;
                    params.push(DraftParam { field, location: ParamLocation::Body });
                }
            }
        }
        // Stripe's spec of 2017 uses `{account}` in `POST /v1/accounts/{account}` without
        // declaring it: such a parameter is a required string, and the maintainer is told
        for name in path_template_names(path) {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.field.wire == name) {
                self.out.warnings.push(Warning {
                    pointer: ptr.to_string(),
                    message: format!(
                        "path `{path}` uses `{{{name}}}` but declares no path parameter `{name}`; it is taken as a required string"
                    ),
                });
                params.push(DraftParam {
                    field: DraftField {
                        wire: name.to_owned(),
                        doc: None,
                        ty: TypeRef::String,
                        required: true,
                        constant: None,
                    },
                    location: ParamLocation::Path,
                });
            }
        }
        // path, query, body; required before optional, otherwise in spec order
        params.sort_by_key(|p| (p.location, !p.field.required));
        let path_segments = parse_path(path, &params, ptr)?;
        let (response, error) = self.responses(op, ptr, owner)?;
        let doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) => self.docs.of(Some(&format!("{s}\n\n{d}"))),
            (s, d) => self.docs.of(s.as_deref().or(d.as_deref())),
        };
        self.out.operations.push(DraftOperation {
            operation_id: operation_id.to_owned(),
            doc,
            origin: ptr.to_string(),
            method,
            path: path_segments,
            path_text: path.to_owned(),
            params,
            response,
            error,
            body: encoding,
            server: op.servers.first().map(|s| s.url.trim_end_matches('/').to_owned()),
        });
        Ok(())
    }

    pub(super) fn responses(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        owner: Owner,
    ) -> Result<(TypeRef, Option<TypeRef>), Error> {
        let rptr = ptr.push("responses");
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            openapiv3::StatusCode::Code(c) => (200..300).contains(c),
            openapiv3::StatusCode::Range(r) => *r == 2,
        });
        let Some((code, success)) = success else {
            return Err(Error::at(&rptr, "the operation has no 2xx response")
                .hint("declare the successful response's schema under `200`"));
        };
        let response = self.response_type(
            success,
            &rptr.push(&code.to_string()),
            NameCtx { owner, suffix: suffix::RESPONSE.to_owned(), items: false },
        )?;
        let error = match &op.responses.default {
            Some(r) => Some(self.response_type(
                r,
                &rptr.push("default"),
                NameCtx { owner, suffix: suffix::ERROR_RESPONSE.to_owned(), items: false },
            )?),
            None => None,
        };
        Ok((response, error))
    }

    pub(super) fn response_type(
        &mut self,
        r: &ReferenceOr<openapiv3::Response>,
        ptr: &Pointer,
        ctx: NameCtx,
    ) -> Result<TypeRef, Error> {
        let ReferenceOr::Item(r) = r else {
            return Err(Error::at(ptr, "`$ref` responses are not supported").hint("write the response inline"));
        };
        match r.content.get("application/json").and_then(|m| m.schema.as_ref()) {
            Some(schema) => {
                Ok(self.schema(schema, &ptr.push("content").push("application/json").push("schema"), &ctx)?.0)
            }
            None => Ok(TypeRef::Json),
        }
    }
}

/// The names in a path template's `{...}` slots (`/v1/x/{id}` → `id`); an unclosed `{` ends it.
pub(super) fn path_template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// Splits `/v1/x/{id}` into literals and parameter slots, checking every slot has a path parameter.
pub(super) fn parse_path(path: &str, params: &[DraftParam], ptr: &Pointer) -> Result<Vec<PathSegment>, Error> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Error::at(ptr, format!("path `{path}` has an unclosed `{{`")))?;
        let name = &rest[open + 1..close];
        let index =
            params.iter().position(|p| p.location == ParamLocation::Path && p.field.wire == name).ok_or_else(|| {
                Error::at(ptr, format!("path `{path}` uses `{{{name}}}` but declares no path parameter `{name}`"))
            })?;
        out.push(PathSegment::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(PathSegment::Literal(rest.to_owned()));
    }
    for (i, p) in params.iter().enumerate() {
        if p.location == ParamLocation::Path && !out.contains(&PathSegment::Param(i)) {
            return Err(Error::at(ptr, format!("path parameter `{}` does not appear in path `{path}`", p.field.wire)));
        }
    }
    Ok(out)
}
