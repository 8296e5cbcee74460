//! The language of API messages: `X-Locale`, else `Accept-Language`, else English.

use axum::http::HeaderMap;
use partnerdesk_app::domain::{FieldError, FieldErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    Zh,
    Ru,
}

impl Locale {
    pub fn from_headers(headers: &HeaderMap) -> Locale {
        let pick = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_ascii_lowercase)
        };
        if let Some(value) = pick("x-locale") {
            return Locale::parse(&value).unwrap_or(Locale::En);
        }
        pick("accept-language")
            .and_then(|v| {
                v.split(',')
                    .find_map(|tag| Locale::parse(tag.split(';').next().unwrap_or("").trim()))
            })
            .unwrap_or(Locale::En)
    }

    fn parse(tag: &str) -> Option<Locale> {
        match tag.split(['-', '_']).next().unwrap_or("") {
            "en" => Some(Locale::En),
            "zh" => Some(Locale::Zh),
            "ru" => Some(Locale::Ru),
            _ => None,
        }
    }

    /// The description of an error code.
    pub fn describe(self, code: &str) -> &'static str {
        use Locale::*;
        match (code, self) {
            ("unauthenticated", En) => "Sign in or send a valid API token.",
            ("unauthenticated", Zh) => "请登录或提供有效的 API 令牌。",
            ("unauthenticated", Ru) => "Войдите в систему или передайте действующий API-токен.",
            ("bad_credentials", En) => "Wrong e-mail or password.",
            ("bad_credentials", Zh) => "电子邮件或密码错误。",
            ("bad_credentials", Ru) => "Неверный адрес электронной почты или пароль.",
            ("forbidden", En) => "You are not allowed to do this.",
            ("forbidden", Zh) => "您无权执行此操作。",
            ("forbidden", Ru) => "У вас нет прав на это действие.",
            ("not_found", En) => "Not found.",
            ("not_found", Zh) => "未找到。",
            ("not_found", Ru) => "Не найдено.",
            ("invalid_input", En) => "Some fields are not valid:",
            ("invalid_input", Zh) => "部分字段无效：",
            ("invalid_input", Ru) => "Некоторые поля заполнены неверно:",
            ("illegal_transition", En) => {
                "This request cannot make that change in its current state."
            }
            ("illegal_transition", Zh) => "该请求在当前状态下不能进行此更改。",
            ("illegal_transition", Ru) => "Это изменение невозможно в текущем состоянии запроса.",
            ("duplicate", En) => "It already exists.",
            ("duplicate", Zh) => "该对象已存在。",
            ("duplicate", Ru) => "Такой объект уже существует.",
            ("precondition_failed", En) => "It changed since you read it; reload and try again.",
            ("precondition_failed", Zh) => "读取后该对象已被修改，请刷新后重试。",
            ("precondition_failed", Ru) => "Объект изменён после чтения; обновите и повторите.",
            ("rate_limited", En) => "Too many attempts; wait and try again.",
            ("rate_limited", Zh) => "尝试次数过多，请稍后再试。",
            ("rate_limited", Ru) => "Слишком много попыток; повторите позже.",
            ("unavailable", En) => "Temporarily unavailable; try again shortly.",
            ("unavailable", Zh) => "暂时不可用，请稍后再试。",
            ("unavailable", Ru) => "Временно недоступно; повторите позже.",
            ("bad_body", En) => "The request body could not be read.",
            ("bad_body", Zh) => "无法读取请求正文。",
            ("bad_body", Ru) => "Не удалось прочитать тело запроса.",
            ("too_large", En) => "The request body is too large.",
            ("too_large", Zh) => "请求正文过大。",
            ("too_large", Ru) => "Тело запроса слишком велико.",
            ("unsupported_media_type", En) => "Send JSON with Content-Type: application/json.",
            ("unsupported_media_type", Zh) => "请以 Content-Type: application/json 发送 JSON。",
            ("unsupported_media_type", Ru) => "Отправьте JSON с Content-Type: application/json.",
            (_, En) => "Something went wrong on our side.",
            (_, Zh) => "服务器出现错误。",
            (_, Ru) => "На сервере произошла ошибка.",
        }
    }

    /// "title: is required", in this language.
    pub fn field_message(self, error: &FieldError) -> String {
        use Locale::*;
        let what = match (&error.kind, self) {
            (FieldErrorKind::Required, En) => "is required".to_string(),
            (FieldErrorKind::Required, Zh) => "为必填项".to_string(),
            (FieldErrorKind::Required, Ru) => "обязательное поле".to_string(),
            (FieldErrorKind::TooLong { max }, En) => format!("is longer than {max} characters"),
            (FieldErrorKind::TooLong { max }, Zh) => format!("超过 {max} 个字符"),
            (FieldErrorKind::TooLong { max }, Ru) => format!("длиннее {max} символов"),
            (FieldErrorKind::TooShort { min }, En) => format!("is shorter than {min} characters"),
            (FieldErrorKind::TooShort { min }, Zh) => format!("少于 {min} 个字符"),
            (FieldErrorKind::TooShort { min }, Ru) => format!("короче {min} символов"),
            (FieldErrorKind::NotOneOf { allowed }, En) => {
                format!("must be one of: {}", allowed.join(", "))
            }
            (FieldErrorKind::NotOneOf { allowed }, Zh) => {
                format!("必须是以下之一：{}", allowed.join(", "))
            }
            (FieldErrorKind::NotOneOf { allowed }, Ru) => {
                format!("должно быть одним из: {}", allowed.join(", "))
            }
            (FieldErrorKind::Invalid { reason }, En) => format!("is not valid ({reason})"),
            (FieldErrorKind::Invalid { reason }, Zh) => format!("无效（{reason}）"),
            (FieldErrorKind::Invalid { reason }, Ru) => format!("неверное значение ({reason})"),
        };
        format!("{}: {what}", error.field)
    }
}
