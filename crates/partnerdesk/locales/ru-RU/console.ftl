app-name = partnerdesk
skip-to-content = Перейти к содержимому
main-menu = Главное меню
signed-in-as = Вы вошли как { $name }
sign-in-title = Вход
sign-in-intro = Служба поддержки для партнёров и их клиентов.
sign-in-email = Электронная почта
sign-in-password = Пароль
sign-in-submit = Войти
sign-out = Выйти
language = Язык
language-apply = Применить
flash-signed-out = Вы вышли из системы.
flash-language-saved = Язык изменён.

page-forbidden-title = Доступ запрещён
page-forbidden-text = Ваша роль не даёт доступа к этой странице.
page-not-found-title = Страница не найдена
page-not-found-text = Её не существует, или она вам не видна.
page-error-title = Что-то пошло не так
page-error-text = Проблема на нашей стороне, она записана в журнал. Повторите попытку.
page-back-home = Вернуться на главную

nav-dashboard = Главная
nav-customer-requests = Запросы клиентов

dashboard-title = Главная
dashboard-welcome = Здравствуйте, { $name }
dashboard-org = { $org } · { $role }
dashboard-nothing = Для вашей роли в консоли пока нет страниц; используйте REST API.

role-operator_admin = Администратор оператора
role-support_lead = Руководитель поддержки
role-support_engineer = Инженер поддержки
role-billing_specialist = Специалист по счетам
role-health_manager = Менеджер состояния служб
role-global_admin = Глобальный администратор
role-admin_agent = Агент-администратор
role-helpdesk_agent = Агент службы поддержки
role-sales_agent = Агент по продажам
role-billing_admin = Администратор по счетам
role-customer_admin = Администратор клиента

status-open = Открыт
status-attention_needed = Требует внимания
status-closed = Закрыт
status-all = Все
state-new = Новый
state-in_progress = В работе
state-awaiting_customer = Ожидает клиента
state-escalated = Передан оператору
state-awaiting_partner = Ожидает партнёра
state-resolved = Решён
state-closed = Закрыт
severity-critical = Критическая (A)
severity-moderate = Средняя (B)
severity-minimal = Низкая (C)
severity-any = Любая важность

requests-title = Запросы клиентов
requests-filters = Фильтры
requests-search = Поиск
requests-search-hint = Слова в заголовке или описании
requests-status = Статус
requests-severity = Важность
requests-customer = Клиент
requests-customer-any = Все клиенты
requests-service = Служба
requests-service-any = Все службы
requests-from = Создан с
requests-to = Создан по
requests-mine = Назначенные мне
requests-sort = Сортировка
sort-newest = Сначала новые
sort-oldest = Сначала старые
sort-modified = Недавно изменённые
sort-severity = Сначала важные
requests-apply = Применить
requests-clear = Сбросить
requests-none = Подходящих запросов нет.
requests-count = { $total ->
    [one] { $total } запрос
    [few] { $total } запроса
   *[other] { $total } запросов
}
requests-range = { $from }–{ $to } из { $total }
requests-previous = Назад
requests-next = Вперёд
col-id = Номер
col-title = Заголовок
col-customer = Клиент
col-service = Служба
col-severity = Важность
col-status = Статус
col-created = Создан
col-modified = Изменён
col-sla = Оператор
sla-at-partner = У партнёра
sla-escalated = Передан { $at }
sla-target = первый ответ в течение { $hours } ч
