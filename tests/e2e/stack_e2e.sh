#!/usr/bin/env bash
# End to end, as a new user would: the local stack's own script brings up PostgreSQL, Redis and
# the four service binaries (on free ports, in a temporary folder); localgovctl and buf curl
# (a third-party client using server reflection) check them; PostgreSQL is stopped and started
# and every service must go NOT_SERVING and come back to SERVING without a restart.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cleanup() { stack_cleanup; }
trap cleanup EXIT
up=0
stack_up && up=1

if [ "$up" = 1 ]; then ok "stack up"; else ko "stack up"; echo "e2e: $passed passed, $failed failed"; exit 1; fi
if "$CTL" health; then ok "localgovctl health: all SERVING"; else ko "localgovctl health"; fi
if bash "$STACK" up >/dev/null; then ok "starting twice is harmless"; else ko "second up failed"; fi

services=(localgov.dossier.v1.DossierService localgov.petition.v1.PetitionService localgov.cadre.v1.CadreService localgov.liaison.v1.LiaisonService)
TOKEN="$("$CTL" token mint --role officer --agency 000.00.31.H41)"
for i in 0 1 2 3; do
  port=$((LOCALGOV_GRPC_PORT_BASE + i))
  out="$("$BUF" curl --protocol grpc --http2-prior-knowledge "http://127.0.0.1:$port/grpc.health.v1.Health/Check" 2>&1)"
  if grep -q '"SERVING"' <<<"$out"; then ok "buf curl health :$port"; else ko "buf curl health :$port: $out"; fi
  out="$("$BUF" curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$port/${services[$i]}/GetServiceInfo" 2>&1)"
  if grep -q '"databaseReachable": true' <<<"$out"; then ok "buf curl GetServiceInfo :$port"; else ko "GetServiceInfo :$port: $out"; fi
  out="$("$BUF" curl --protocol grpc --http2-prior-knowledge "http://127.0.0.1:$port/${services[$i]}/GetServiceInfo" 2>&1)"
  if grep -q 'unauthenticated' <<<"$out"; then ok "no token is UNAUTHENTICATED :$port"; else ko "no token :$port: $out"; fi
done

out="$("$CTL" directory get 000.00.31.H41 2>&1)"
if grep -q 'Nha Trang' <<<"$out"; then ok "demo directory seeded"; else ko "demo directory: $out"; fi
out="$("$CTL" directory units --history --parent 568 2>&1)"
if grep -q '22330 .*2025-07-01' <<<"$out"; then ok "directory: pre-2025 wards kept as history"; else ko "directory units: $out"; fi
out="$("$CTL" directory unit 22330 2>&1)"
if grep -q 'today: 22333 Phường Nha Trang' <<<"$out"; then ok "directory: a merged ward resolves to today's ward"; else ko "directory unit: $out"; fi
out="$("$CTL" directory resolve 000.00.21.H41 2>&1)"
if grep -q '000.00.21.H41 > 000.00.31.H41' <<<"$out"; then ok "directory: a merged committee resolves to its successor"; else ko "directory resolve: $out"; fi
trust="$("$CTL" exchange public-key "$LOCALGOV_STACK_DIR/keys/liaison-log.key")"
out="$("$CTL" directory snapshot --trust-key "$trust" 2>&1)"
if grep -q 'signature verified' <<<"$out"; then ok "directory snapshot signed by the liaison"; else ko "directory snapshot: $out"; fi
other="$("$CTL" exchange public-key "$LOCALGOV_STACK_DIR/keys/police.key")"
if "$CTL" directory snapshot --trust-key "$other" >/dev/null 2>&1; then ko "a snapshot verified with the wrong key"; else ok "directory snapshot refused under another key"; fi

out="$("$CTL" due --received 2025-03-10T15:30 --unit working-days --amount 5 2>&1)"
if grep -q '^due 2025-03-18' <<<"$out"; then ok "due date by the 15:00 rule"; else ko "due date: $out"; fi
CITIZEN="$("$CTL" token mint --role citizen --subject citizen-e2e)"
out="$("$BUF" curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer $CITIZEN" \
      "http://127.0.0.1:$LOCALGOV_GRPC_PORT_BASE/localgov.dossier.v1.DossierService/ListProcedures" \
      -d '{"query":"KHAI SINH"}' 2>&1)"
if grep -q '"HT-01"' <<<"$out" && grep -q '"LT-01"' <<<"$out"; then ok "catalogue search without diacritics"; else ko "catalogue search: $out"; fi
out="$("$BUF" curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer $CITIZEN" \
      "http://127.0.0.1:$LOCALGOV_GRPC_PORT_BASE/localgov.dossier.v1.DossierService/ComputeDueDate" \
      -d '{"received_time":"2026-02-12T03:00:00Z","unit":"LIMIT_UNIT_WORKING_DAYS","amount":5}' 2>&1)"
if grep -q '"dueDate": "2026-02-26"' <<<"$out"; then ok "ComputeDueDate across Tết 2026"; else ko "ComputeDueDate: $out"; fi

# The exchange: a commune signs a handoff to another commune's dossier service; it is
# delivered and acknowledged, the message log verifies, and an exported bundle verifies offline
# (and fails once edited).
KEYDIR="$(mktemp -d)"
"$CTL" exchange keygen --key-id e2e-commune --out "$KEYDIR/commune.key" >"$KEYDIR/keygen.txt"
PUB="$(awk '/public key/ {print $NF}' "$KEYDIR/keygen.txt")"
if "$CTL" directory admin add-key 000.00.31.H41 e2e-commune "$PUB" &&
   "$CTL" directory admin endpoint 000.00.32.H41 service:dossier &&
   "$CTL" directory admin grant 000.00.31.H41 step-handoff 000.00.32.H41; then
  ok "directory: key, endpoint and access right registered"
else
  ko "directory admin"
fi
out="$("$CTL" exchange send --from 000.00.31.H41 --to 000.00.32.H41 --correlation 000.00.31.H41-261122-0001 \
      --key "$KEYDIR/commune.key" --id e2e-env-1 --payload '{"buoc":"xac-minh"}' 2>&1)"
if grep -q DELIVERY_STATE_PENDING <<<"$out"; then ok "exchange send accepted"; else ko "exchange send: $out"; fi
acked=0
for _ in $(seq 1 50); do
  if "$CTL" envelopes show e2e-env-1 2>/dev/null | grep -q DELIVERY_STATE_ACKNOWLEDGED; then acked=1; break; fi
  sleep 0.2
done
if [ "$acked" = 1 ]; then ok "envelope delivered to the dossier service and acknowledged"; else ko "envelope not acknowledged"; "$CTL" envelopes show e2e-env-1; fi
if "$CTL" log verify | grep -q "message log OK"; then ok "message log verifies"; else ko "message log verify"; fi
"$CTL" log export >"$KEYDIR/bundle.jsonl"
if "$CTL" log verify-bundle "$KEYDIR/bundle.jsonl" | grep -q "bundle OK"; then ok "exported bundle verifies offline"; else ko "bundle verify"; fi
sed -i '2s/000\.00\.32\.H41/000.00.39.H41/g' "$KEYDIR/bundle.jsonl"  # readdress the first entry
out="$("$CTL" log verify-bundle "$KEYDIR/bundle.jsonl" 2>&1 || true)"
if grep -q "bundle BROKEN at entry 1" <<<"$out"; then ok "an edited bundle is detected offline"; else ko "edited bundle not detected: $out"; fi
rm -rf "$KEYDIR"

# Decree 63/2024 liên thông: an LT-01 dossier hands its residence and health-insurance steps to
# the police and social-insurance receivers in parallel; social insurance is down at first and
# started later; both results come back once and the dossier can be finished.
RECV="$(mktemp -d)"
( cd "$RECV" && exec "$CTL" exchange serve-receiver --agency 000.00.10.G01 \
    --listen "127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + 10))" --key "$LOCALGOV_STACK_DIR/keys/police.key" \
    --complete-after 1 >police.out 2>&1 ) &
POLICE_PID=$!
out="$("$CTL" dossier receive --procedure LT-01 --name "Nguyễn Thị Hoa" --citizen-id 079203001234 \
      --doc to-khai-lien-thong --doc giay-chung-sinh 2>&1)"
LT="$(awk '/^dossier/ {print $2}' <<<"$out")"
if [ -n "$LT" ] && "$CTL" dossier act "$LT" --action start | grep -q "step 0   own 000.00.31.H41 STEP_STATE_IN_PROGRESS"; then ok "LT-01 received and started: the commune's own step first"; else ko "LT-01: $out"; fi
if "$CTL" dossier act "$LT" --action step-done --step 0 --reason "Đã đăng ký khai sinh" | grep -c "STEP_STATE_HANDED_OFF" | grep -q 2; then ok "the commune's step done: police and insurance steps handed off"; else ko "LT-01 step-done"; fi
sleep 2
( cd "$RECV" && exec "$CTL" exchange serve-receiver --agency 000.00.11.G02 \
    --listen "127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + 11))" --key "$LOCALGOV_STACK_DIR/keys/insurance.key" \
    --complete-after 1 >insurance.out 2>&1 ) &
INSURANCE_PID=$!
done_steps=0
for _ in $(seq 1 100); do
  if [ "$("$CTL" dossier show "$LT" 2>/dev/null | grep -c 'result of step')" = 2 ]; then done_steps=1; break; fi
  sleep 0.3
done
if [ "$done_steps" = 1 ]; then ok "both agencies' results came back to the commune"; else ko "step results missing"; "$CTL" dossier show "$LT"; cat "$RECV"/*.out; fi
if [ "$(grep -c '^took' "$RECV/police.out")" = 1 ] && [ "$(grep -c '^took' "$RECV/insurance.out")" = 1 ]; then
  ok "each receiver took its handoff once (social insurance after it came back)"
else
  ko "handoffs: $(cat "$RECV"/*.out)"
fi
if "$CTL" dossier act "$LT" --action result --reason "Đã cấp" | grep -q PROCESSED; then ok "LT-01 result recorded after every step"; else ko "LT-01 result"; fi
if "$CTL" log verify | grep -q "message log OK"; then ok "message log verifies after the liên thông flow"; else ko "log verify after liên thông"; fi
kill "$POLICE_PID" "$INSURANCE_PID" 2>/dev/null || true
wait "$POLICE_PID" "$INSURANCE_PID" 2>/dev/null || true

# A withdrawn LT-01 dossier: both handed-off steps are cancelled, both agencies are told (the
# stand-in receivers stop and send no result), and a result sent anyway reopens nothing.
( cd "$RECV" && exec "$CTL" exchange serve-receiver --agency 000.00.10.G01 \
    --listen "127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + 10))" --key "$LOCALGOV_STACK_DIR/keys/police.key" \
    --complete-after 4 >police2.out 2>&1 ) &
POLICE_PID=$!
( cd "$RECV" && exec "$CTL" exchange serve-receiver --agency 000.00.11.G02 \
    --listen "127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + 11))" --key "$LOCALGOV_STACK_DIR/keys/insurance.key" \
    --complete-after 4 >insurance2.out 2>&1 ) &
INSURANCE_PID=$!
out="$("$CTL" dossier receive --procedure LT-01 --name "Trần Thị Mai" --citizen-id 079203005678 \
      --doc to-khai-lien-thong --doc giay-chung-sinh 2>&1)"
LT2="$(awk '/^dossier/ {print $2}' <<<"$out")"
"$CTL" dossier act "$LT2" --action start >/dev/null
"$CTL" dossier act "$LT2" --action step-done --step 0 --reason "Đã đăng ký khai sinh" >/dev/null
out="$("$CTL" dossier act "$LT2" --action withdraw --reason "Gia đình chuyển nơi cư trú" 2>&1)"
if grep -q WITHDRAWN <<<"$out" && [ "$(grep -c STEP_STATE_CANCELLED <<<"$out")" = 2 ] && [ "$(grep -c 'told 000' <<<"$out")" = 2 ]; then
  ok "LT-01 withdrawn: both handed-off steps cancelled and their agencies told"
else
  ko "withdrawal: $out"
fi
told=0
for _ in $(seq 1 60); do
  if grep -q "^cancelled $LT2:step-1" "$RECV/police2.out" && grep -q "^cancelled $LT2:step-2" "$RECV/insurance2.out"; then told=1; break; fi
  sleep 0.25
done
if [ "$told" = 1 ]; then ok "both stand-in receivers logged the cancellation"; else ko "cancellations not received: $(cat "$RECV"/*2.out)"; fi
acked=0
for _ in $(seq 1 40); do
  if [ "$("$CTL" envelopes list --state acknowledged | grep -c "^$LT2:step-[12]:cancel .*STEP_CANCELLA")" = 2 ]; then acked=1; break; fi
  sleep 0.25
done
if [ "$acked" = 1 ]; then ok "envelopes list: both cancellations acknowledged"; else ko "cancellation envelopes: $("$CTL" envelopes list)"; fi
sleep 5  # past the receivers' --complete-after: they must not send a result
if grep -q "was cancelled: result not sent" "$RECV/police2.out" && ! "$CTL" dossier show "$LT2" | grep -q "result of step"; then
  ok "no result was sent for a cancelled step"
else
  ko "results after cancellation: $(cat "$RECV"/*2.out)"
fi
"$CTL" exchange send --from 000.00.10.G01 --to 000.00.31.H41 --type step-result --correlation "$LT2" \
  --in-reply-to "$LT2:step-1" --id "$LT2:step-1:late-result" --key "$LOCALGOV_STACK_DIR/keys/police.key" >/dev/null 2>&1 || true
late=0
for _ in $(seq 1 40); do
  if "$CTL" dossier show "$LT2" | grep -q "arrived after the cancellation"; then late=1; break; fi
  sleep 0.25
done
out="$("$CTL" dossier show "$LT2")"
if [ "$late" = 1 ] && grep -q "state WITHDRAWN\|WITHDRAWN" <<<"$out" && ! grep -q "STEP_STATE_COMPLETED.*Công an\|step 1 .*STEP_STATE_COMPLETED" <<<"$out"; then
  ok "a result sent after the cancellation is recorded and reopens nothing"
else
  ko "late result: $out"
fi
kill "$POLICE_PID" "$INSURANCE_PID" 2>/dev/null || true
wait "$POLICE_PID" "$INSURANCE_PID" 2>/dev/null || true
rm -rf "$RECV"

# A DD-01 dossier stopped while the commune's first step is under way: no step is left open.
out="$("$CTL" dossier receive --procedure DD-01 --name "Lê Văn Cường" --citizen-id 079203009999 \
      --doc don-dang-ky 2>&1)"
DD="$(awk '/^dossier/ {print $2}' <<<"$out")"
"$CTL" dossier act "$DD" --action start >/dev/null
out="$("$CTL" dossier act "$DD" --action stop --reason "Đất đang có tranh chấp" 2>&1)"
if grep -q STOPPED <<<"$out" && ! grep -qE "STEP_STATE_(IN_PROGRESS|WAITING|HANDED_OFF)" <<<"$out" && ! "$CTL" dossier list --due-within 60 | grep -q "$DD"; then
  ok "DD-01 stopped in progress: no step left open, in no worklist"
else
  ko "DD-01 stop: $out"
fi

# Petitions (issue 20's Done-when): a complaint accepted, heard and decided; a denunciation
# extended once; a recommendation forwarded to the province and its answer back; the denouncer
# read by an inspector with a reason, the reading listed, and found nowhere else.
out="$("$CTL" petition receive --kind complaint --field land --title "Khiếu nại thu hồi đất" \
      --content "Không đồng ý mức bồi thường" --name "Nguyễn Văn Khiếu" --citizen-id 079203001111 \
      --act "Quyết định thu hồi đất" --decision-number 125/QĐ-UBND --received "2026-12-04 09:00" \
      --learned-date 2026-11-20 2>&1)"
KN="$(awk '/^code/ {print $2; exit}' <<<"$out")"
if grep -qE 'classification +2026-12-18 +binding' <<<"$out" && grep -qE 'limitation +2027-02-18' <<<"$out"; then
  ok "petition: a complaint's acceptance and limitation clocks"
else
  ko "petition complaint: $out"
fi
"$CTL" petition classify "$KN" --decision accept --reason "Đủ điều kiện thụ lý" >/dev/null
"$CTL" petition dialogue "$KN" --participant "Nguyễn Văn Khiếu" --participant "Chủ tịch UBND" \
  --minutes "Hai bên trình bày ý kiến" >/dev/null
out="$("$CTL" petition decide "$KN" --outcome complaint-partly-right --decision-number 45/QĐ-UBND \
      --summary "Điều chỉnh bồi thường cây trồng" 2>&1)"
if grep -q '^state *resolved' <<<"$out" && grep -q 'dialogue' <<<"$out"; then ok "petition: complaint accepted, heard, decided"; else ko "petition decide: $out"; fi
out="$("$CTL" petition receive --kind denunciation --field cadre-conduct --channel letter \
      --title "Tố cáo cán bộ địa chính" --content "Nhận tiền để xác nhận hồ sơ" \
      --name "Phạm Thị Bí Mật" --citizen-id 079187654321 --address "Ngõ Kín, thôn Đông" 2>&1)"
TC="$(awk '/^code/ {print $2; exit}' <<<"$out")"
if grep -q 'denouncer *sealed' <<<"$out" && ! grep -q 'Bí Mật' <<<"$out"; then ok "petition: the denouncer sealed at intake"; else ko "petition denunciation: $out"; fi
# The printed papers, read as a citizen would: the text (pdftotext) and the QR code (pdftoppm +
# zbarimg) back to the portal's look-up address (LOCALGOV_PORTAL_LOOKUP_URL, default).
PAPERS="$(mktemp -d)"
if "$CTL" dossier print "$LT" --paper receipt -o "$PAPERS/giay-hen.pdf" >/dev/null \
    && pdftotext "$PAPERS/giay-hen.pdf" - 2>/dev/null | grep -q "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" \
    && pdftotext "$PAPERS/giay-hen.pdf" - 2>/dev/null | grep -q "Nguyễn Thị Hoa" \
    && pdftoppm -png -r 150 -singlefile "$PAPERS/giay-hen.pdf" "$PAPERS/giay-hen" \
    && [ "$(zbarimg --raw -q "$PAPERS/giay-hen.png" 2>/dev/null)" = "https://dichvucong.example.gov.vn/tra-cuu?ma=$LT" ]; then
  ok "dossier print: the receipt reads in Vietnamese, its QR code is the portal's look-up address"
else ko "dossier print $LT (pdftotext, pdftoppm, zbarimg: poppler-utils, zbar-tools)"; fi
if "$CTL" petition print "$TC" -o "$PAPERS/bien-nhan.pdf" >/dev/null \
    && pdftotext "$PAPERS/bien-nhan.pdf" - 2>/dev/null | grep -q "Đơn tố cáo" \
    && ! pdftotext "$PAPERS/bien-nhan.pdf" - 2>/dev/null | grep -q "Bí Mật\|Ngõ Kín"; then
  ok "petition print: the denunciation's receipt, without the denouncer"
else ko "petition print $TC"; fi
rm -rf "$PAPERS"
"$CTL" petition classify "$TC" --decision accept --reason "Thuộc thẩm quyền" --complexity complex >/dev/null
out="$("$CTL" petition extend "$TC" --days 30 --reason "Xác minh tại nhiều nơi" --decision-number 12/QĐ-UBND 2>&1)"
again="$("$CTL" petition extend "$TC" --days 10 --reason "Thêm lần nữa" 2>&1)"
if grep -q 'extension *1: +30 days' <<<"$out" && grep -q 'at most 1 time' <<<"$again"; then ok "petition: a complex denunciation extended once, not twice"; else ko "petition extend: $out / $again"; fi
out="$("$CTL" petition receive --kind recommendation --field construction --channel online \
      --title "Kiến nghị sửa tỉnh lộ" --content "Tỉnh lộ 8 xuống cấp" --name "Lê Thị Kiến" 2>&1)"
KNG="$(awk '/^code/ {print $2; exit}' <<<"$out")"
"$CTL" petition classify "$KNG" --decision forward --to 000.00.00.H41 --reason "Thuộc thẩm quyền UBND tỉnh" >/dev/null
AT_PROVINCE=""
for _ in $(seq 1 50); do
  AT_PROVINCE="$("$CTL" petition list --agency 000.00.00.H41 2>/dev/null | awk '/Kiến nghị sửa tỉnh lộ/ {print $1; exit}')"
  [ -n "$AT_PROVINCE" ] && break
  sleep 0.2
done
if [ -n "$AT_PROVINCE" ]; then
  "$CTL" petition classify "$AT_PROVINCE" --agency 000.00.00.H41 --decision accept --reason "Thuộc thẩm quyền" >/dev/null
  "$CTL" petition decide "$AT_PROVINCE" --agency 000.00.00.H41 --outcome answered --summary "Sửa trong quý I/2027" >/dev/null
fi
answered=0
for _ in $(seq 1 50); do
  if "$CTL" petition show "$KNG" 2>/dev/null | grep -q 'answer .*Sửa trong quý I/2027'; then answered=1; break; fi
  sleep 0.2
done
if [ "$answered" = 1 ]; then ok "petition: forwarded to the province, its answer came back"; else ko "petition forward: $("$CTL" petition show "$KNG" 2>&1)"; fi
out="$("$CTL" petition reveal "$TC" --role inspector --reason "Thanh tra cần liên hệ người tố cáo" 2>&1)"
readings="$("$CTL" petition readings --role auditor 2>&1)"
if grep -q 'Phạm Thị Bí Mật' <<<"$out" && grep -q "$TC" <<<"$readings"; then ok "petition: an inspector reads the denouncer, the reading is listed"; else ko "petition reveal: $out / $readings"; fi
leaks=""
for db in petition liaison dossier; do
  dump="$(pg_dump -h 127.0.0.1 -p "$LOCALGOV_PG_PORT" -U postgres --data-only "localgov_$db" 2>/dev/null)"
  for needle in "Phạm Thị Bí Mật" 079187654321 "Ngõ Kín" "$(python3 -c "print('Phạm Thị Bí Mật'.encode().hex())")"; do
    grep -qF -- "$needle" <<<"$dump" && leaks="$leaks $db:$needle"
  done
done
grep -qF "Bí Mật" "$LOCALGOV_STACK_DIR"/logs/*.log && leaks="$leaks logs"
redis-cli -p "$LOCALGOV_REDIS_PORT" --scan 2>/dev/null | xargs -r -n1 redis-cli -p "$LOCALGOV_REDIS_PORT" --raw DUMP 2>/dev/null | grep -qF "Bí Mật" && leaks="$leaks redis"
if [ -z "$leaks" ]; then ok "petition: the denouncer is in no log, database dump, envelope or Redis"; else ko "petition: the denouncer leaked:$leaks"; fi
# Repeats and figures (issue 22): the demo's complaint filed again without diacritics is not
# processed and told the earlier answer; a matter filed five times is long-running; the
# year's figures come out as CSV.
repeat="$("$CTL" petition list --duplicates --state not-processed --output json 2>&1 |
  python3 -c 'import json,sys; print([p["code"] for p in json.load(sys.stdin).get("petitions", []) if p["title"].startswith("Khieu nai muc boi thuong")][0])' 2>/dev/null)"
out="$("$CTL" petition show "$repeat" 2>&1)"
if grep -q 'duplicate-answered' <<<"$out" && grep -q '58/QĐ-UBND' <<<"$out" &&
   "$CTL" petition duplicates "$repeat" 2>&1 | grep -q 'same act concerned: 125/QĐ-UBND'; then
  ok "petition: an answered complaint filed again without diacritics is caught with the earlier answer"
else
  ko "petition repeat: $repeat $out"
fi
n="$("$CTL" petition list --long-running --output json 2>/dev/null |
  python3 -c 'import json,sys; print(sum(1 for p in json.load(sys.stdin).get("petitions", []) if p.get("matter_filings") == 5 and p.get("long_running")))')"
if [ "$n" = 5 ]; then ok "petition: a matter filed five times is long-running (5 petitions listed)"; else ko "petition long-running: $n"; fi
csv="$("$CTL" petition stats --from 2026-01-01 --to 2026-12-31 --role auditor --output csv 2>&1)"
if head -1 <<<"$csv" | grep -q '^agency,from,to,section,key,count' && grep -q ',petitions,received,[1-9]' <<<"$csv" &&
   grep -q ',not_processed,duplicate-answered,[1-9]' <<<"$csv"; then
  ok "petition stats: the year's figures as CSV"
else
  ko "petition stats: $csv"
fi
# The reception register (issue 22): the demo year's crowd case found by period, and the
# leaders' days, as CSV through the global --output csv.
csv="$("$CTL" reception visits --from "$(date -u -d '-365 days' +%F)" --to "$(date -u +%F)" --crowd-cases --output csv 2>&1)"
if head -1 <<<"$csv" | grep -q '^register_number,date,session,form,crowd_case,persons,visitors,content,handling,petitions' &&
   grep -q ',in-person,yes,32,' <<<"$csv"; then
  ok "reception visits: the year's crowd case by period as CSV"
else
  ko "reception visits: $csv"
fi
csv="$("$CTL" reception days --period "$(date -u +%Y)" --output csv 2>&1)"
if head -1 <<<"$csv" | grep -q '^leader,name,role,period,required,held,counted' && grep -q ',commune-chair,' <<<"$csv"; then
  ok "reception days: the leaders' days as CSV"
else
  ko "reception days: $csv"
fi
PORTAL="$("$CTL" token mint --role system --agency 000.00.00.H99 --subject portal)"
out="$("$BUF" curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer $PORTAL" \
      "http://127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + 1))/localgov.petition.v1.PetitionService/GetPetition" \
      -d "{\"code\":\"$TC\"}" 2>&1)"
if grep -q '"identitySealed": true' <<<"$out" && grep -q '"DEADLINE_KIND_RESOLUTION"' <<<"$out" && ! grep -q 'Bí Mật' <<<"$out"; then
  ok "buf curl GetPetition: clocks, identity sealed"
else
  ko "buf curl GetPetition: $out"
fi

# Cadres (issue 21's Done-when, read-only parts): the demo province's positions against the
# quota, a commune's roster as of 2020 (its merged wards' people) and today, another agency's
# personnel office refused; the same roster through buf curl.
out="$("$CTL" cadre staffing 000.00.31.H41-VP 2>&1)"
if grep -q '^quota' <<<"$out" && grep -q 'PCT2' <<<"$out"; then ok "cadre: positions against the quota"; else ko "cadre staffing: $out"; fi
then_roster="$("$CTL" cadre roster --of 000.00.31.H41 --as-of 2020-01-01 2>&1 | tail -1)"
now_roster="$("$CTL" cadre roster --of 000.00.31.H41 2>&1 | tail -1)"
if grep -qE '^[0-9]+ people' <<<"$then_roster" && grep -qE '^[0-9]+ people' <<<"$now_roster" && [ "$then_roster" != "$now_roster" ]; then
  ok "cadre: the roster as of 2020-01-01 ($then_roster) and today ($now_roster)"
else
  ko "cadre roster: $then_roster / $now_roster"
fi
if out="$("$CTL" cadre --agency 000.00.32.H41 show 1570 2>&1)"; then ko "cadre: another agency read a person"; elif grep -q 'personnel offices' <<<"$out"; then ok "cadre: another agency's personnel office refused"; else ko "cadre refusal: $out"; fi
if out="$("$CTL" cadre --office one-stop show 1570 2>&1)"; then ko "cadre: the one-stop office read a person"; elif grep -q 'personnel office' <<<"$out"; then ok "cadre: the commune's one-stop office (not its personnel office) refused"; else ko "cadre office refusal: $out"; fi
PERSONNEL="$("$CTL" token mint --role officer --agency 000.00.31.H41 --subject personnel-31 --office personnel)"
out="$("$BUF" curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer $PERSONNEL" \
      "http://127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + 2))/localgov.cadre.v1.CadreService/GetRoster" \
      -d '{"agency_code":"000.00.31.H41","as_of":"2020-01-01"}' 2>&1)"
if grep -q '"positionCode"' <<<"$out" && grep -q '"citizenId": "\*\{8\}[0-9]\{4\}"' <<<"$out"; then ok "buf curl GetRoster: as of 2020, citizen IDs masked"; else ko "buf curl GetRoster: ${out:0:400}"; fi
# Issue 23's merger (Done-when): the demo's Xã Mỹ Sơn 000.00.76.H41, merged into 000.00.75.H41 on
# 2026-12-01 by load-demo's ApplyMerger: its office's staff as of the day before, and under the
# successor from the day, the old unit code answering for the successor's unit.
eve="$("$CTL" cadre --agency 000.00.75.H41 roster --unit 000.00.76.H41-VP --as-of 2026-11-30 2>&1)"
day="$("$CTL" cadre --agency 000.00.75.H41 roster --unit 000.00.76.H41-VP --as-of 2026-12-01 2>&1)"
if grep -q '000.00.76.H41-VP-CT ' <<<"$eve" && ! grep -q 'moved by a merger' <<<"$eve" \
   && grep -q 'its successor 000.00.75.H41-VP' <<<"$day" && grep -q '000.00.75.H41-VP-CT-2 ' <<<"$day"; then
  ok "cadre: a merged commune's staff as of the day before, and under the successor from the day"
else
  ko "cadre merger: ${eve:0:300} / ${day:0:300}"
fi
if out="$("$CTL" cadre --agency 000.00.75.H41 merge --agency 000.00.76.H41 --date 2026-12-01 2>&1)"; then
  ko "cadre merger: the applied plan was not blocked: ${out:0:300}"
elif grep -q 'UNIT_ALREADY_MOVED' <<<"$out"; then ok "cadre: the applied merger's plan is blocked (units moved already)"; else ko "cadre merge preview: ${out:0:300}"; fi

# The standards report (issue 23's Done-when): the demo's commune cadres meet their positions'
# standards at the seeds' 90.2 % on the demo's last day (the 46 communes' TOTAL lines summed),
# and each unit line of the first commune equals a hand count of its per-person detail.
DAY=2026-11-30
people=0; meeting=0
for n in $(seq 31 76); do
  total="$("$CTL" cadre --agency 000.00.08.H41 report --of "000.00.$n.H41" --as-of "$DAY" 2>&1 | tail -1)"
  people=$((people + $(cut -d, -f8 <<<"$total"))); meeting=$((meeting + $(cut -d, -f17 <<<"$total")))
done
if [ "$people" -gt 0 ] && [ $(( (meeting * 1000 + people / 2) / people )) = 902 ]; then
  ok "cadre report: $meeting of $people commune cadres meet their standards (90.2 %)"
else
  ko "cadre report: $meeting of $people commune cadres, not 90.2 %"
fi
report="$("$CTL" cadre report --of 000.00.31.H41 --as-of "$DAY" 2>&1)"
hand_ok=1; lines=0
while read -r unit unit_people unit_meeting; do
  detail="$("$CTL" cadre report --unit "$unit" --as-of "$DAY" --people 2>/dev/null)"
  rows=$(($(wc -l <<<"$detail") - 1))
  yes=$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(sys.stdin) if r["meets"] == "yes" and not r["reason"]))' <<<"$detail")
  lines=$((lines + 1))
  if [ "$rows" != "$unit_people" ] || [ "$yes" != "$unit_meeting" ]; then hand_ok=0; echo "  $unit: report $unit_meeting of $unit_people, detail $yes of $rows"; fi
done < <(python3 -c 'import csv,sys
for r in csv.DictReader(sys.stdin):
    if r["unit_code"] != "TOTAL": print(r["unit_code"], r["people"], r["meeting_standard"])' <<<"$report")
if [ "$hand_ok" = 1 ] && [ "$lines" -ge 3 ]; then ok "cadre report: $lines unit lines equal a hand count of their detail"; else ko "cadre report vs detail: $report"; fi

pids_before="$(cat "$LOCALGOV_STACK_DIR"/run/*.pid | sort)"
bash "$STACK" pg-stop >/dev/null
went_down=0
for _ in $(seq 1 40); do
  if [ "$("$CTL" health | grep -c NOT_SERVING)" = 4 ]; then went_down=1; break; fi
  sleep 0.25
done
if [ "$went_down" = 1 ]; then ok "PostgreSQL down: every service NOT_SERVING"; else ko "services did not report NOT_SERVING"; "$CTL" health; fi
out="$("$CTL" info --service dossier 2>&1)"
if grep -q '14' <<<"$out" && grep -qi 'unavailable\|unreachable' <<<"$out"; then ok "RPC while PostgreSQL down is UNAVAILABLE"; else ko "RPC while down: $out"; fi

bash "$STACK" pg-start >/dev/null
came_back=0
for _ in $(seq 1 60); do
  if "$CTL" health >/dev/null 2>&1; then came_back=1; break; fi
  sleep 0.25
done
if [ "$came_back" = 1 ]; then ok "PostgreSQL back: every service SERVING again"; else ko "services did not come back"; "$CTL" health; fi
pids_after="$(cat "$LOCALGOV_STACK_DIR"/run/*.pid | sort)"
if [ "$pids_before" = "$pids_after" ]; then ok "no service restarted"; else ko "a service restarted"; fi
if "$CTL" info >/dev/null; then ok "every GetServiceInfo OK after recovery"; else ko "info after recovery"; fi

logs=("$LOCALGOV_STACK_DIR"/logs/{dossier,petition,cadre,liaison}.log)
if grep -qF "$TOKEN" "${logs[@]}" || grep -ohE '"msg":"([^"\\]|\\.)*"' "${logs[@]}" | grep -qE '[0-9]{12}|eyJ[A-Za-z0-9_-]{10,}'; then
  ko "a log message holds an ID number or a token"
else
  ok "log messages hold no ID numbers or tokens"
fi

echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
