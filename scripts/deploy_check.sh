#!/usr/bin/env bash
# The README's production start, tried behind a real nginx terminating TLS, on loopback only:
# a throwaway directory, a self-signed certificate, the nginx server blocks of docs/DEPLOY.md
# moved to high loopback ports, gunicorn with config.settings.prod on another loopback port,
# SQLite in the throwaway directory. Then over https: the login page, a login POST as a browser
# sends it (Origin + Referer + CSRF token) answered 302 to home, HSTS and CSP headers, static
# files, and http redirected to https. Everything is stopped and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
HOST=dangbo.example.vn # resolved to 127.0.0.1 by curl --resolve; nothing leaves loopback

# In memory where there is /dev/shm: SQLite migrations are write-heavy.
tmp=$(mktemp -d -p "$([ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")" deploy-check.XXXXXX)
gunicorn_pid=""
nginx_pid=""
static_pid=""
cleanup() {
  [ -n "$static_pid" ] && kill "$static_pid" 2>/dev/null && wait "$static_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null
  [ -n "${KEEP_DEPLOY_CHECK:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "deploy check FAILED: $*" >&2
  for f in "$tmp"/migrate.log "$tmp"/collectstatic.log "$tmp"/nginx-error.log "$tmp"/gunicorn.log; do [ -s "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }; done
  exit 1
}

read -r HTTPS_PORT HTTP_PORT APP_PORT < <("$BIN/python" - <<'EOF'
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
EOF
)
ORIGIN=https://$HOST:$HTTPS_PORT

# -- the environment of the README / docs/DEPLOY.md, with throwaway paths
export DJANGO_SETTINGS_MODULE=config.settings.prod
SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=$HOST
export BEHIND_TLS_PROXY=1 TRUSTED_PROXY_COUNT=1
export CSRF_TRUSTED_ORIGINS=$ORIGIN
export DATABASE_URL=sqlite:///$tmp/db.sqlite3
export MEDIA_ROOT=$tmp/media
export STATIC_ROOT=$tmp/static
export DJANGO_SUPERUSER_USERNAME=quantri DJANGO_SUPERUSER_PASSWORD=Mat-khau-thu-7193 DJANGO_SUPERUSER_EMAIL=quantri@$HOST

# collectstatic needs no database: it runs beside migrate.
"$BIN/python" manage.py collectstatic --noinput >"$tmp/collectstatic.log" 2>&1 &
static_pid=$!
"$BIN/python" manage.py migrate --noinput >"$tmp/migrate.log" 2>&1 || fail "migrate"
wait "$static_pid" || fail "collectstatic"
static_pid=""
"$BIN/python" manage.py createsuperuser --noinput >/dev/null || fail "createsuperuser"
"$BIN/gunicorn" config.wsgi --workers 2 --bind "127.0.0.1:$APP_PORT" --control-socket "$tmp/gunicorn.ctl" >"$tmp/gunicorn.log" 2>&1 &
gunicorn_pid=$!

# -- nginx: the server blocks from docs/DEPLOY.md, moved to loopback and the throwaway cert
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
  -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" 2>/dev/null || fail "openssl"
blocks=$(awk '/^```nginx/{on=1; next} /^```/{on=0} on' docs/DEPLOY.md)
[ -n "$blocks" ] || fail "no nginx block in docs/DEPLOY.md"
blocks=$(printf '%s\n' "$blocks" | sed \
  -e "s|listen 443 ssl;|listen 127.0.0.1:$HTTPS_PORT ssl;|" \
  -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
  -e "s|/etc/ssl/dangbo/|$tmp/|" \
  -e "s|http://127.0.0.1:8000|http://127.0.0.1:$APP_PORT|")
# Never anything but loopback.
if printf '%s\n' "$blocks" | grep -E '^\s*listen' | grep -vqE "listen 127\.0\.0\.1:[0-9]+( ssl)?;"; then
  fail "a listen directive is not on loopback"
fi
mkdir -p "$tmp/nginx-tmp" && chmod 755 "$tmp" && chmod 777 "$tmp/nginx-tmp"
cat >"$tmp/nginx.conf" <<EOF
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    # nginx reaches gunicorn from another address than gunicorn's own, as a proxy on another
    # machine or container does: gunicorn then leaves X-Forwarded-Proto alone (it trusts it only
    # from 127.0.0.1), so what is tested is Django's own settings. Still loopback.
    proxy_bind 127.0.0.2;
    client_body_temp_path $tmp/nginx-tmp/body;
    proxy_temp_path $tmp/nginx-tmp/proxy;
    fastcgi_temp_path $tmp/nginx-tmp/fastcgi;
    uwsgi_temp_path $tmp/nginx-tmp/uwsgi;
    scgi_temp_path $tmp/nginx-tmp/scgi;
$blocks
}
EOF
nginx -t -q -p "$tmp" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" || fail "nginx -t"
nginx -p "$tmp" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" &
nginx_pid=$!

CURL=(curl -sS --max-time 10 --resolve "$HOST:$HTTPS_PORT:127.0.0.1" --resolve "$HOST:$HTTP_PORT:127.0.0.1"
  --cacert "$tmp/fullchain.pem" -b "$tmp/cookies" -c "$tmp/cookies")
for _ in $(seq 1 300); do
  "${CURL[@]}" -fo /dev/null "$ORIGIN/tai-khoan/dang-nhap/" 2>/dev/null && break
  kill -0 "$gunicorn_pid" 2>/dev/null || fail "gunicorn exited"
  sleep 0.1
done

# 1. The login page over https.
"${CURL[@]}" -D "$tmp/h1" -o "$tmp/login.html" "$ORIGIN/tai-khoan/dang-nhap/" || fail "GET login"
head -n1 "$tmp/h1" | grep -q " 200" || fail "GET login: $(head -n1 "$tmp/h1")"
token=$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -n1)
[ -n "$token" ] || fail "no CSRF token in the login page"

# 2. The login POST a browser sends: the case that failed "Origin checking failed".
"${CURL[@]}" -D "$tmp/h2" -o "$tmp/post.html" \
  -H "Origin: $ORIGIN" -H "Referer: $ORIGIN/tai-khoan/dang-nhap/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$DJANGO_SUPERUSER_USERNAME" \
  --data-urlencode "password=$DJANGO_SUPERUSER_PASSWORD" --data-urlencode "next=" \
  "$ORIGIN/tai-khoan/dang-nhap/" || fail "POST login"
status=$(head -n1 "$tmp/h2")
if ! grep -q " 302" <<<"$status"; then
  grep -o "Origin checking failed[^<]*\|CSRF[^<]*" "$tmp/post.html" | head -n2 >&2 || true
  fail "POST login answered $status, expected 302"
fi
grep -qi "^location: /\s*$" "$tmp/h2" || fail "login redirected to $(grep -i '^location' "$tmp/h2")"
grep -qi "^set-cookie: sessionid=.*; secure" "$tmp/h2" || fail "session cookie not Secure"

# 3. The security headers and cookies.
grep -qi "^strict-transport-security: max-age=[1-9]" "$tmp/h1" || fail "no HSTS header"
grep -qi "^content-security-policy: .*script-src 'self'" "$tmp/h1" || fail "no CSP header"
grep -qi "^set-cookie: csrftoken=.*; secure" "$tmp/h1" || fail "CSRF cookie not Secure"
grep -qi "^x-content-type-options: nosniff" "$tmp/h1" || fail "no X-Content-Type-Options"
grep -qi "^x-frame-options: deny" "$tmp/h1" || fail "no X-Frame-Options"
grep -qi "^referrer-policy: same-origin" "$tmp/h1" || fail "no Referrer-Policy"

# 4. Home as the logged-in user. In production (OTP_REQUIRED=1) an account that reaches more than
# one cell, as this superuser does, is first sent to set up its second factor, with a QR code.
"${CURL[@]}" -D "$tmp/h3" -o "$tmp/home.html" "$ORIGIN/" || fail "GET home"
grep -qi "^location: /tai-khoan/xac-thuc-hai-buoc/" "$tmp/h3" || fail "home did not ask for the second factor: $(head -n1 "$tmp/h3")"
"${CURL[@]}" -D "$tmp/h4" -o "$tmp/otp.html" "$ORIGIN/tai-khoan/xac-thuc-hai-buoc/" || fail "GET second-factor setup"
head -n1 "$tmp/h4" | grep -q " 200" || fail "GET second-factor setup: $(head -n1 "$tmp/h4")"
grep -q "$DJANGO_SUPERUSER_USERNAME" "$tmp/otp.html" || fail "the setup page does not show the logged-in user"
grep -q "<svg" "$tmp/otp.html" || fail "no QR code on the second-factor setup page"

# 5. Static files, by the hashed names the page links to.
for asset in $(grep -o '/static/[^"]*' "$tmp/login.html" | sort -u); do
  code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$ORIGIN$asset") || fail "GET $asset"
  [ "$code" = 200 ] || fail "static $asset answered $code"
done
grep -q '/static/vendor/htmx\.min\.[0-9a-f]\{12\}\.js' "$tmp/login.html" || fail "htmx not linked by hashed name"
css=$(grep -o '/static/css/app\.[0-9a-f]\{12\}\.css' "$tmp/login.html" | head -n1)
[ -n "$css" ] || fail "app.css not linked by hashed name"
"${CURL[@]}" -D "$tmp/h6" -o /dev/null -H "Accept-Encoding: gzip" "$ORIGIN$css" || fail "GET $css"
grep -qi "^content-encoding: gzip" "$tmp/h6" || fail "static files not served compressed"
grep -qi "^cache-control: .*immutable" "$tmp/h6" || fail "hashed static files not cached for ever"

# 6. Plain http is sent to https.
"${CURL[@]}" -D "$tmp/h5" -o /dev/null "http://$HOST:$HTTP_PORT/" || fail "GET http"
grep -qi "^location: https://$HOST/" "$tmp/h5" || fail "http not redirected to https"

echo "deploy check: ok (nginx https 127.0.0.1:$HTTPS_PORT -> gunicorn 127.0.0.1:$APP_PORT, login POST 302, HSTS, CSP, static; ${SECONDS}s)"
