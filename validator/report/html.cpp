#include "report/html.hpp"

#include "model/printable.hpp"
#include "model/verdict.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "measure/statistics.hpp"
#include "measure/units.hpp"
#include "model/executions.hpp"
#include "model/version.hpp"
#include "report/csv.hpp"

namespace wslcuda {

// cmake/embed_chartjs.cmake: the bytes of chart.min.js (kEmbeddedChartJsSize 0 when the build
// found none).
extern const unsigned char kEmbeddedChartJs[];
extern const std::size_t kEmbeddedChartJsSize;

namespace {

// Okabe & Ito, "Color Universal Design" (2008): distinguishable with every common colour-vision
// deficiency. Status colours never stand alone: every status is also written as a word.
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                    "#56B4E9", "#D55E00", "#F0E442", "#000000"};

const char* status_colour(status s) {
  switch (s) {
    case status::pass:
      return "#0072B2";  // blue
    case status::warn:
      return "#E69F00";  // orange
    case status::fail:
      return "#D55E00";  // vermillion
    case status::error:
      return "#CC79A7";  // reddish purple
    case status::skip:
      return "#999999";  // grey
  }
  return "#000000";
}

/// The JSON text, safe inside a <script> element (no "</script>", no "<!--").
std::string script_json(const json& j) {
  const std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

/// Seconds between two "YYYY-MM-DDTHH:MM:SSZ" times; nullopt when either is malformed.
std::optional<double> seconds_between(const std::string& a, const std::string& b) {
  auto parse = [](const std::string& s) -> std::optional<std::time_t> {
    std::tm tm{};
    if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
      return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
  };
  const auto ta = parse(a), tb = parse(b);
  if (!ta || !tb) return std::nullopt;
  return std::difftime(*tb, *ta);
}

std::string wall_time(const run_report& r) {
  const auto s = seconds_between(r.started_at, r.finished_at);
  if (!s || *s < 0) return "unknown";
  const long total = std::lround(*s);
  char buf[64];
  if (total >= 3600)
    std::snprintf(buf, sizeof buf, "%ld h %02ld min %02ld s", total / 3600, total / 60 % 60,
                  total % 60);
  else if (total >= 60)
    std::snprintf(buf, sizeof buf, "%ld min %02ld s", total / 60, total % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld s", total);
  return buf;
}

std::string gpu_model(const run_report& r) {
  return r.env.devices.empty() ? std::string("no GPU") : r.env.devices.front().name;
}

std::string status_badge(status s) {
  return std::string("<span class=\"st st-") + to_string(s) + "\">" + upper_case(to_string(s)) +
         "</span>";
}

/// The id without its size suffix (".b<bytes>"): the series a sweep point belongs to.
std::string series_of(const std::string& id) {
  const auto dot = id.rfind(".b");
  if (dot != std::string::npos && dot + 2 < id.size() &&
      std::all_of(id.begin() + static_cast<std::ptrdiff_t>(dot) + 2, id.end(),
                  [](unsigned char c) { return std::isdigit(c); }))
    return id.substr(0, dot);
  return id;
}

std::optional<std::int64_t> extent(const result_row& r, const std::string& name) {
  for (const auto& [key, value] : r.shape)
    if (key == name) return value;
  return std::nullopt;
}

/// The anchor of a row's message (ids hold only [A-Za-z0-9._-], but be safe).
std::string anchor(const std::string& prefix, const std::string& id) {
  std::string out = prefix;
  for (const char c : id)
    out +=
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '_';
  return out;
}

const char* kStyle = R"css(
:root{--fg:#1b1b1b;--muted:#5a5a5a;--line:#d0d0d0;--bg:#fff;--band:#f4f6f8}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1280px;padding:16px 24px}
h1{font-size:22px;margin:4px 0 8px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{background:var(--band);position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.st{display:inline-block;min-width:44px;text-align:center;font-weight:600;font-size:12px;border-radius:3px;padding:0 4px;color:#fff}
.st-pass{background:#0072B2}.st-warn{background:#E69F00;color:#000}.st-fail{background:#D55E00}.st-error{background:#CC79A7;color:#000}.st-skip{background:#bbb;color:#000}
.verdict{font-size:20px}.verdict .st{font-size:18px;padding:2px 10px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.chart-box{margin:8px 0 14px;min-width:0}.chart{position:relative;width:100%}
ul.legend{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:2px 16px;font-size:12px;overflow-wrap:anywhere}
ul.legend .swatch{display:inline-block;width:24px;height:0;vertical-align:middle;margin-right:6px}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:8px 20px}
.note{color:var(--muted);font-size:13px}.msg{max-width:520px}code{font-size:12px}
.failure{border-left:4px solid #D55E00;padding:2px 8px;margin:6px 0;background:#fff7f2}.failure.st-error-box{border-color:#CC79A7}.failure.st-warn-box{border-color:#E69F00;background:#fffaf0}
nav a{margin-right:12px}.scroll{overflow-x:auto}#script-errors{color:#D55E00}
)css";

/// Runs after Chart.js: turns the chart specs of #wslcuda-data into charts, marks each canvas
/// with its drawn size (data-rendered) and the body with the count (data-charts-rendered); any
/// script error is written into the page (#script-errors, body data-script-errors). Every text a
/// chart draws is checked against its canvas: how many were cut off at an edge goes into the
/// canvas's data-clipped (and the first ones into data-clipped-text), for the browser test. The
/// series charts (xy, trend) get their legend as an HTML list below the canvas.
const char* kRenderer = R"js(
(function(){
var data=JSON.parse(document.getElementById('wslcuda-data').textContent);
var body=document.body;
function si(v,unit){if(v===null||v===undefined||!isFinite(v))return '';var a=Math.abs(v);
 if(unit==='s'){if(a>=1)return v.toPrecision(3)+' s';if(a>=1e-3)return (v*1e3).toPrecision(3)+' ms';if(a>=1e-6)return (v*1e6).toPrecision(3)+' \u00b5s';return (v*1e9).toPrecision(3)+' ns';}
 if(unit==='%')return (v*100).toFixed(0)+' %';if(unit==='x')return v.toPrecision(3);if(unit==='')return v.toPrecision(3);
 var p=[[1e15,'P'],[1e12,'T'],[1e9,'G'],[1e6,'M'],[1e3,'k']];
 if(unit==='B'){var q=[[1099511627776,'Gi'],[1073741824,'Gi'],[1048576,'Mi'],[1024,'Ki']];for(var j=1;j<q.length;j++)if(a>=q[j][0])return (v/q[j][0]).toPrecision(3).replace(/\.?0+$/,'')+' '+q[j][1]+'B';return v+' B';}
 for(var i=0;i<p.length;i++)if(a>=p[i][0])return (v/p[i][0]).toPrecision(3)+' '+p[i][1]+unit;return v.toPrecision(3)+' '+unit;}
function axis(type,unit,title,extra){var o={type:type,title:{display:!!title,text:title},ticks:{callback:function(v){return si(Number(v),unit);}}};
 if(type==='category')o.ticks={autoSkip:false};for(var k in (extra||{}))o[k]=extra[k];return o;}
function base(spec){return {animation:false,responsive:true,maintainAspectRatio:false,
 plugins:{title:{display:true,text:spec.title,font:{size:14}},legend:{display:spec.legend!==false,position:'bottom'}}};}
var proto=CanvasRenderingContext2D.prototype,fillText=proto.fillText;
proto.fillText=function(t,x,y,mw){var c=this.canvas,l=c&&c.__clipped;
 if(l){var m=this.measureText(t),f=(mw!==undefined&&m.width>mw)?mw/m.width:1,T=this.getTransform(),
  xs=[x-f*m.actualBoundingBoxLeft,x+f*m.actualBoundingBoxRight],ys=[y-m.actualBoundingBoxAscent,y+m.actualBoundingBoxDescent],cut=false;
  for(var i=0;i<2;i++)for(var j=0;j<2;j++){var p=T.transformPoint(new DOMPoint(xs[i],ys[j]));
   if(p.x<-1||p.y<-1||p.x>c.width+1||p.y>c.height+1)cut=true;}
  if(cut)l.push(String(t));}
 return fillText.apply(this,arguments);};
var clipWatch={id:'clipWatch',beforeDraw:function(ch){ch.canvas.__clipped=[];},
 afterDraw:function(ch){var c=ch.canvas,l=c.__clipped||[];c.__clipped=null;c.setAttribute('data-clipped',String(l.length));
  if(l.length)c.setAttribute('data-clipped-text',l.slice(0,5).join(' | '));else c.removeAttribute('data-clipped-text');}};
var strokes={'[]':'solid','[6,3]':'dashed','[2,2]':'dotted','[10,4,2,4]':'double'};
function htmlLegend(canvas,chart){var ul=document.createElement('ul');ul.className='legend';
 chart.data.datasets.forEach(function(d){var li=document.createElement('li'),sw=document.createElement('span');sw.className='swatch';
  sw.style.borderTop='3px '+(strokes[JSON.stringify(d.borderDash||[])]||'solid')+' '+d.borderColor;
  li.appendChild(sw);li.appendChild(document.createTextNode(d.label));ul.appendChild(li);});
 canvas.parentNode.parentNode.appendChild(ul);}
function hbar(spec){var o=base(spec);o.indexAxis='y';o.plugins.legend.display=false;
 o.scales={x:axis('linear',spec.unit,spec.xtitle,{min:0,suggestedMax:spec.max||undefined}),y:{ticks:{autoSkip:false,font:{size:11}}}};
 o.plugins.tooltip={callbacks:{label:function(c){return si(c.parsed.x,spec.unit)+(spec.notes?'  '+spec.notes[c.dataIndex]:'');}}};
 return {type:'bar',data:{labels:spec.labels,datasets:[{data:spec.values,backgroundColor:spec.colours,borderWidth:0}]},options:o};}
function ratio(spec){var o=base(spec);o.indexAxis='y';
 o.scales={x:axis('linear','x','ratio to baseline (> 1: faster)',{suggestedMin:0.8,suggestedMax:1.2}),y:{ticks:{autoSkip:false,font:{size:11}}}};
 var ds=[{type:'bar',label:'95 % interval',data:spec.ci,backgroundColor:'rgba(86,180,233,0.45)',borderColor:'#56B4E9',borderWidth:1,barPercentage:0.6,order:3},
  {type:'line',label:'ratio',data:spec.ratio,showLine:false,pointStyle:spec.styles,pointRadius:5,pointBackgroundColor:spec.colours,pointBorderColor:'#000',order:1},
  {type:'line',label:'threshold',data:spec.threshold,showLine:false,pointStyle:'line',pointRadius:9,pointBorderWidth:3,pointBorderColor:'#000',pointRotation:90,order:2}];
 return {type:'bar',data:{labels:spec.labels,datasets:ds},options:o};}
var dash=[[],[6,3],[2,2],[10,4,2,4]];var shapes=['circle','rect','triangle','rectRot','crossRot','star','rectRounded','cross'];
function xy(spec){var o=base(spec);o.parsing=false;o.plugins.legend.display=false;o.htmlLegend=spec.legend!==false;
 o.scales={x:axis(spec.xlog?'logarithmic':'linear',spec.xunit,spec.xtitle),y:axis(spec.ylog?'logarithmic':'linear',spec.yunit,spec.ytitle,spec.ymin!==undefined?{min:spec.ymin}:{})};
 o.plugins.tooltip={callbacks:{label:function(c){return c.dataset.label+': '+si(c.parsed.x,spec.xunit)+', '+si(c.parsed.y,spec.yunit);}}};
 var ds=spec.series.map(function(s,i){var c=data.palette[i%data.palette.length];return {type:'line',label:s.label,data:s.points.map(function(p){return {x:p[0],y:p[1]};}),
  borderColor:c,backgroundColor:c,pointStyle:shapes[i%shapes.length],pointRadius:spec.points===false?0:3,borderWidth:1.5,borderDash:dash[Math.floor(i/data.palette.length)%dash.length],stepped:!!spec.stepped,tension:0};});
 (spec.refs||[]).forEach(function(r){ds.push({type:'line',label:r.label,data:[{x:spec.xrange[0],y:r.value},{x:spec.xrange[1],y:r.value}],borderColor:'#000',borderDash:[4,4],borderWidth:1,pointRadius:0});});
 return {type:'line',data:{datasets:ds},options:o};}
function trend(spec){var o=base(spec);o.plugins.legend.display=false;o.htmlLegend=true;
 o.scales={x:{type:'category',title:{display:true,text:'report (# in the table above)'},ticks:{autoSkip:true,maxRotation:0,font:{size:11}}},
  y:axis('linear','x','speed vs report 1 (> 1: faster)')};
 o.plugins.tooltip={callbacks:{title:function(items){return items.length?spec.names[items[0].dataIndex]:'';}}};
 var ds=spec.series.map(function(s,i){var c=data.palette[i%data.palette.length];return {label:s.label,data:s.values,borderColor:c,backgroundColor:c,pointStyle:shapes[i%shapes.length],pointRadius:4,borderWidth:1.5,borderDash:dash[Math.floor(i/data.palette.length)%dash.length],spanGaps:true,tension:0};});
 return {type:'line',data:{labels:spec.labels,datasets:ds},options:o};}
var kinds={hbar:hbar,ratio:ratio,xy:xy,trend:trend};
var rendered=0;
if(typeof Chart==='undefined'){body.setAttribute('data-charts-rendered','0');return;}
data.charts.forEach(function(spec){var canvas=document.getElementById(spec.id);if(!canvas)throw new Error('no canvas '+spec.id);
 var config=kinds[spec.kind](spec);config.plugins=[clipWatch];var chart=new Chart(canvas,config);
 if(config.options.htmlLegend)htmlLegend(canvas,chart);
 var w=canvas.width,h=canvas.height;canvas.setAttribute('data-rendered',w+'x'+h);if(w>0&&h>0)rendered++;});
body.setAttribute('data-charts-rendered',String(rendered));
body.setAttribute('data-resources',String(performance.getEntriesByType('resource').length));
})();
)js";

const char* kErrorHook = R"js(
window.__wslcudaErrors=0;
window.addEventListener('error',function(e){window.__wslcudaErrors++;document.documentElement.setAttribute('data-script-errors',String(window.__wslcudaErrors));
 var add=function(){var l=document.getElementById('script-errors');if(!l){setTimeout(add,0);return;}var li=document.createElement('li');li.textContent='script error: '+e.message+' ('+(e.filename||'inline')+':'+e.lineno+')';l.appendChild(li);};add();});
)js";

using page = html_page;

// ---- one report ----------------------------------------------------------------------------

std::string driver_text(const run_report& r) {
  const driver_info& d = r.env.driver;
  std::string s;
  if (d.windows_driver_version) s = "Windows driver " + *d.windows_driver_version;
  if (!d.windows_driver_version && (d.nvml_driver_version || d.kernel_module_version))
    s = "NVIDIA driver " +
        (d.nvml_driver_version ? *d.nvml_driver_version : *d.kernel_module_version);
  auto api = [](int v) { return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10); };
  if (d.cuda_driver_api > 0)
    s += (s.empty() ? "" : "; ") + ("CUDA driver API " + api(d.cuda_driver_api));
  if (d.cuda_runtime > 0) s += ", runtime " + api(d.cuda_runtime);
  if (s.empty()) s = d.libcuda_error.empty() ? "none found" : "none: " + d.libcuda_error;
  return s;
}

std::string gpu_text(const run_report& r) {
  if (r.env.devices.empty())
    return "none" + (r.env.no_device_reason.empty() ? "" : ": " + r.env.no_device_reason);
  std::string s;
  for (const device_record& d : r.env.devices) {
    if (!s.empty()) s += "; ";
    s += d.name + " (compute capability " + std::to_string(d.cc_major) + "." +
         std::to_string(d.cc_minor) + ", " + std::to_string(d.sm_count) + " SMs, " +
         format_general(static_cast<double>(d.total_memory_bytes) / (1024.0 * 1024 * 1024), 4) +
         " GiB";
    if (!d.host_link.description.empty()) s += ", " + d.host_link.description;
    s += ")";
  }
  return s;
}

/// What the verdict rests on: the gate's evidence, gated rows, and why the others are not.
std::string evidence_html(const run_report& r) {
  std::size_t compared = 0, gated = 0, gated_pass = 0;
  std::map<std::string, std::size_t> why;
  for (const result_row& row : r.results) {
    if (!row.baseline || !row.baseline->ratio) continue;
    ++compared;
    if (row.baseline->gated.value_or(false)) {
      ++gated;
      if (row.baseline->verdict == status::pass) ++gated_pass;
    } else if (row.baseline->gated) {
      ++why[to_string(row.baseline->reason)];  // grouped by reason code
    }
  }
  std::map<status, std::size_t> counts;
  for (const result_row& row : r.results) ++counts[row_verdict(row)];
  std::string s = "<p>" + std::to_string(r.results.size()) + " results:";
  for (status st : {status::fail, status::error, status::warn, status::skip, status::pass})
    if (counts[st] > 0) s += " " + std::to_string(counts[st]) + " " + to_string(st) + ",";
  if (!r.results.empty()) s.pop_back();
  std::size_t failed_checks = 0;
  for (const check_record& c : r.env.checks)
    if (c.status == status::fail || c.status == status::error) ++failed_checks;
  s += "; " + std::to_string(r.env.checks.size()) + " checks, " + std::to_string(failed_checks) +
       " failed.</p>\n";
  const bool by_baseline = r.gate && r.gate->judged_by == "baseline";
  if (by_baseline) {
    s += "<p>Gate against <code>" + html_escape(r.gate->baseline) +
         "</code>: " + status_badge(r.gate->verdict) + " " + html_escape(r.gate->evidence) + " (" +
         std::to_string(r.gate->confirmation_rounds) + " confirmation rounds).</p>\n";
  } else if (r.gate) {
    s += "<p>Judged by the " + html_escape(r.gate->judged_by) + ": " +
         status_badge(r.gate->verdict) + " " + html_escape(r.gate->evidence) + ".</p>\n";
  }
  if (r.gate && r.gate->inconclusive())
    s += "<p><strong>Inconclusive</strong> (<code>" + std::string(to_string(r.gate->reason)) +
         "</code>): too little was judged for the gate to pass (exit 6).</p>\n";
  if (compared > 0) {
    s += "<p>" + std::to_string(compared) + " rows compared with the baseline, " +
         std::to_string(gated) + " gated (" + std::to_string(gated_pass) + " pass)";
    if (!why.empty()) {
      s += "; not gated:";
      for (const auto& [reason, n] : why)
        s += " " + std::to_string(n) + " " + html_escape(reason) + ";";
      s.pop_back();
    }
    s += ".</p>\n";
  } else if (!by_baseline) {
    std::string reason;
    for (const result_row& row : r.results)
      if (row.baseline && !row.baseline->message.empty()) {
        reason = row.baseline->message;
        break;
      }
    // Said of the time of the run: a report read later (`wslcuda html`) may meet baselines
    // that did not exist then.
    s += "<p>When this run was made" +
         (r.started_at.empty() ? std::string() : " (" + html_escape(r.started_at) + ")") +
         ", no baseline was compared" + (reason.empty() ? "" : ": " + html_escape(reason)) +
         ". The verdict rests on correctness and the checks; the fraction of each device's "
         "peak below is the speed measure. <code>wslcuda gate</code> judges a report again "
         "against today's baselines.</p>\n";
  }
  return s;
}

void header_section(page& p, const html_source& src) {
  const run_report& r = *src.report;
  std::string& h = p.html();
  h += "<header>\n<h1>wslcuda " + html_escape(r.command.empty() ? "report" : r.command) +
       (src.name.empty() ? "" : ": " + html_escape(src.name)) + "</h1>\n";
  h += "<p class=\"verdict\">Verdict " + status_badge(overall_verdict(r)) + " exit code " +
       std::to_string(r.exit_code) + (r.interrupted ? " (interrupted: partial results)" : "") +
       "</p>\n<dl class=\"facts\">\n";
  auto fact = [&](const std::string& k, const std::string& v) {
    h += "<dt>" + html_escape(k) + "</dt><dd>" + html_escape(v) + "</dd>\n";
  };
  fact("GPU", gpu_text(r));
  fact("Driver", driver_text(r));
  fact("Host", report_host(r) + (r.env.host.cpu.empty() ? "" : "; " + r.env.host.cpu) +
                   (r.env.host.logical_cpus > 0
                        ? " (" + std::to_string(r.env.host.logical_cpus) + " logical CPUs)"
                        : ""));
  fact("Started", r.started_at + " (wall time " + wall_time(r) + ")");
  if (!src.tool_version.empty()) fact("wslcuda", src.tool_version);
  std::string argv;
  for (const std::string& a : r.argv) argv += (argv.empty() ? "" : " ") + a;
  if (!argv.empty()) fact("Command", argv);
  h += "</dl>\n" + evidence_html(r);
  for (const std::string& w : r.warnings)
    h += "<p class=\"note\">warning: " + html_escape(w) + "</p>\n";
  h += "</header>\n";
}

void checks_section(page& p, const run_report& r) {
  std::string& h = p.html();
  h += "<section id=\"checks\">\n<h2>Checks (doctor)</h2>\n";
  if (r.env.checks.empty()) {
    h += "<p class=\"note\">No checks in this report.</p>\n</section>\n";
    return;
  }
  std::vector<const check_record*> checks;
  for (const check_record& c : r.env.checks) checks.push_back(&c);
  std::stable_sort(checks.begin(), checks.end(), [](const check_record* a, const check_record* b) {
    return worst_first_rank(a->status) < worst_first_rank(b->status);
  });
  h += "<table><thead><tr><th>status</th><th>check</th><th>message</th><th>remedy</th></tr>"
       "</thead><tbody>\n";
  for (const check_record* c : checks)
    h += "<tr><td>" + status_badge(c->status) + "</td><td><code>" + html_escape(c->id) +
         "</code></td><td>" + html_escape(c->message) + "</td><td>" + html_escape(c->remedy) +
         "</td></tr>\n";
  h += "</tbody></table>\n</section>\n";
}

void problems_section(page& p, const run_report& r) {
  std::vector<const result_row*> rows;
  for (const result_row& row : r.results)
    if (const status v = row_verdict(row);
        v == status::fail || v == status::error || v == status::warn)
      rows.push_back(&row);
  std::string& h = p.html();
  h += "<section id=\"problems\">\n<h2>Failures and warnings</h2>\n";
  if (rows.empty()) {
    h += "<p>None: every result passed or was skipped.</p>\n</section>\n";
    return;
  }
  for (const result_row* row : rows_worst_first(rows)) {
    const status verdict = row_verdict(*row);
    h += "<div class=\"failure st-" + std::string(to_string(verdict)) + "-box\" id=\"" +
         anchor("msg-", row->id) + "\">" + status_badge(verdict) + " <a href=\"#" +
         anchor("row-", row->id) + "\"><code>" + html_escape(row->id) +
         "</code></a>: " + html_escape(row_message(*row));
    if (row->correctness && row->status == status::fail)
      h += "<br><span class=\"note\">" + html_escape(row->correctness->metric) + " = " +
           format_general(row->correctness->value, 3) + ", bound " +
           format_general(row->correctness->bound, 3) + " (" +
           std::to_string(row->correctness->out_of_bound) + " out of bound, " +
           std::to_string(row->correctness->non_finite) + " not finite, of " +
           std::to_string(row->correctness->compared) + ")</span>";
    h += "</div>\n";
  }
  h += "</section>\n";
}

std::string ratio_text(const baseline_block& b) {
  if (!b.ratio) return "";
  std::string s = format_general(*b.ratio, 3);
  if (b.ci95_lo && b.ci95_hi)
    s += " [" + format_general(*b.ci95_lo, 3) + ", " + format_general(*b.ci95_hi, 3) + "]";
  return s;
}

void family_table(std::string& h, const std::vector<const result_row*>& rows) {
  h += "<div class=\"scroll\"><table><thead><tr><th>status</th><th>id</th><th>bound</th>"
       "<th>median</th><th>p99</th>"
       "<th>executions</th><th>throughput</th><th>of peak</th><th>ratio [95 % CI]</th>"
       "<th>threshold</th><th>gate</th><th>message</th></tr></thead><tbody>\n";
  for (const result_row* r : rows) {
    const bool bad = row_verdict(*r) == status::fail || row_verdict(*r) == status::error ||
                     row_verdict(*r) == status::warn;
    h += "<tr id=\"" + anchor("row-", r->id) + "\"><td>" + status_badge(row_verdict(*r)) +
         "</td><td>";
    h += bad ? "<a href=\"#" + anchor("msg-", r->id) + "\"><code>" + html_escape(r->id) +
                   "</code></a>"
             : "<code>" + html_escape(r->id) + "</code>";
    h += "</td><td>" + std::string(r->timing ? to_string(r->bound) : "") + "</td>";
    h += "<td class=\"num\">" + (r->timing ? format_seconds(r->timing->median_s) : "") + "</td>";
    h += "<td class=\"num\">" +
         (r->timing && r->timing->p99_s > 0 ? format_seconds(r->timing->p99_s) : "") + "</td><td>";
    if (r->executions.size() >= 2) {
      h += std::to_string(r->executions.size()) + ":";
      for (const execution_stats& e : r->executions) h += " " + format_seconds(e.median_s) + ";";
      h.pop_back();
    } else if (r->timing) {
      h += "1";
    }
    h += "</td><td class=\"num\">" +
         (r->throughput ? format_si(r->throughput->value, r->throughput->unit) : "") + "</td>";
    h += "<td class=\"num\">" +
         (r->throughput && r->throughput->fraction_of_peak
              ? format_percent(*r->throughput->fraction_of_peak)
              : "") +
         "</td>";
    std::string ratio, threshold, gate;
    if (r->baseline) {
      const baseline_block& b = *r->baseline;
      ratio = ratio_text(b);
      if (b.threshold) threshold = format_general(*b.threshold, 3);
      if (b.ratio || b.gated) {
        gate = html_escape(b.gated ? (*b.gated ? "gated: " : "not gated: ") : "") +
               status_badge(b.verdict);
        if (b.gated && !*b.gated && !b.why_not_gated.empty())
          gate += " <span class=\"note\">" + html_escape(b.why_not_gated) + "</span>";
      }
    }
    h += "<td class=\"num\">" + html_escape(ratio) + "</td><td class=\"num\">" +
         html_escape(threshold) + "</td><td>" + gate + "</td><td class=\"msg\">" +
         html_escape(row_message(*r)) + "</td></tr>\n";
  }
  h += "</tbody></table></div>\n";
}

int bar_height(std::size_t n) {
  return static_cast<int>(std::max<std::size_t>(160, 22 * n + 70));
}

void family_charts(page& p, const run_report& report, const std::string& family,
                   const std::vector<const result_row*>& rows) {
  // Fraction of peak, worst first.
  {
    json labels = json::array(), values = json::array(), colours = json::array(),
         notes = json::array();
    for (const result_row* r : rows) {
      if (!r->throughput || !r->throughput->fraction_of_peak) continue;
      labels.push_back(
          (row_verdict(*r) == status::pass ? "" : upper_case(to_string(row_verdict(*r))) + " ") +
          r->id);
      values.push_back(*r->throughput->fraction_of_peak);
      colours.push_back(status_colour(row_verdict(*r)));
      notes.push_back(format_si(r->throughput->value, r->throughput->unit));
    }
    if (!values.empty())
      p.chart(json{{"kind", "hbar"},
                   {"title", family + ": throughput as a fraction of the device's peak"},
                   {"unit", "%"},
                   {"xtitle", "fraction of peak"},
                   {"labels", labels},
                   {"values", values},
                   {"colours", colours},
                   {"notes", notes}},
              bar_height(values.size()));
  }
  // Ratio to the baseline with its interval and threshold.
  {
    json labels = json::array(), ci = json::array(), ratio = json::array(),
         threshold = json::array(), colours = json::array(), styles = json::array();
    for (const result_row* r : rows) {
      if (!r->baseline || !r->baseline->ratio) continue;
      const baseline_block& b = *r->baseline;
      labels.push_back(r->id + (b.gated && !*b.gated ? " (not gated)" : ""));
      ci.push_back(b.ci95_lo && b.ci95_hi ? json::array({*b.ci95_lo, *b.ci95_hi}) : json(nullptr));
      ratio.push_back(*b.ratio);
      threshold.push_back(b.threshold ? json(*b.threshold) : json(nullptr));
      colours.push_back(status_colour(b.verdict));
      styles.push_back(b.verdict == status::fail   ? "crossRot"
                       : b.verdict == status::warn ? "triangle"
                                                   : "circle");
    }
    if (!ratio.empty())
      p.chart(json{{"kind", "ratio"},
                   {"title", family + ": ratio to the baseline (bar: 95 % interval; dot: ratio, "
                                      "triangle warn, cross fail; tick: threshold)"},
                   {"labels", labels},
                   {"ci", ci},
                   {"ratio", ratio},
                   {"threshold", threshold},
                   {"colours", colours},
                   {"styles", styles}},
              bar_height(ratio.size()));
  }
  // Sweeps against size: bandwidth of every copy kind, NCCL busbw.
  const bool transfer = family == "transfer", nccl = family == "nccl";
  if (transfer || nccl) {
    std::map<std::string, json> series;
    std::vector<std::string> order;
    double lo = 0, hi = 0;
    int device = 0;
    for (const result_row* r : rows) {
      const auto bytes = extent(*r, "bytes");
      std::optional<double> y;
      if (transfer && r->throughput) y = r->throughput->value;
      if (nccl) y = metric_of(*r, "busbw_bytes_per_s");
      if (!bytes || !y || row_verdict(*r) == status::skip) continue;
      const std::string key = series_of(r->id);
      if (!series.count(key)) {
        order.push_back(key);
        series[key] = json::array();
      }
      series[key].push_back(json::array({static_cast<double>(*bytes), *y}));
      lo = lo == 0 ? static_cast<double>(*bytes) : std::min(lo, static_cast<double>(*bytes));
      hi = std::max(hi, static_cast<double>(*bytes));
      device = r->device;
    }
    if (!order.empty()) {
      std::sort(order.begin(), order.end());
      json s = json::array();
      for (const std::string& key : order) {
        json pts = series[key];
        std::sort(pts.begin(), pts.end(), [](const json& a, const json& b) {
          return a[0].get<double>() < b[0].get<double>();
        });
        s.push_back(json{{"label", key}, {"points", pts}});
      }
      json refs = json::array();
      if (const device_record* d = find_device(report, device); d != nullptr && transfer) {
        if (d->host_link.bytes_per_s > 0)
          refs.push_back(json{{"label", "host link peak (" + d->host_link.description + ")"},
                              {"value", d->host_link.bytes_per_s}});
        if (d->peak_dram_bytes_per_s > 0)
          refs.push_back(json{{"label", "DRAM peak (device-to-device counts read + write)"},
                              {"value", d->peak_dram_bytes_per_s}});
      }
      p.chart(json{{"kind", "xy"},
                   {"title", transfer ? "transfer: bandwidth against size, every copy kind"
                                      : "nccl: bus bandwidth (busbw) against size"},
                   {"xlog", true},
                   {"xunit", "B"},
                   {"xtitle", "bytes"},
                   {"yunit", "B/s"},
                   {"ytitle", transfer ? "bandwidth" : "busbw"},
                   {"ymin", 0},
                   {"series", s},
                   {"refs", refs},
                   {"xrange", json::array({lo, hi})}},
              380);
    }
  }
  // Latency distributions (CDF over the samples, 101 quantiles per row).
  if (family == "latency" || family == "jit") {
    json s = json::array();
    for (const result_row* r : rows) {
      if (!r->timing || r->timing->values_s.empty()) continue;
      const std::vector<double> q = spaced_percentiles(r->timing->values_s, 101);
      json pts = json::array();
      for (std::size_t i = 0; i < q.size(); ++i)
        pts.push_back(json::array(
            {q[i],
             q.size() == 1 ? 1.0 : static_cast<double>(i) / static_cast<double>(q.size() - 1)}));
      s.push_back(json{{"label", r->id}, {"points", pts}});
    }
    if (!s.empty())
      p.chart(json{{"kind", "xy"},
                   {"title", family + ": distribution of the samples (CDF; the tail is the top)"},
                   {"xlog", true},
                   {"xunit", "s"},
                   {"xtitle", "seconds per operation"},
                   {"yunit", "%"},
                   {"ytitle", "fraction of samples at or below"},
                   {"ymin", 0},
                   {"points", false},
                   {"series", s}},
              380);
  }
}

void families_section(page& p, const run_report& r) {
  std::vector<std::string> families;
  std::map<std::string, std::vector<const result_row*>> by_family;
  for (const result_row& row : r.results) {
    if (!by_family.count(row.family)) families.push_back(row.family);
    by_family[row.family].push_back(&row);
  }
  // Families with a failure, an error or a warning first; skipped rows do not move a family.
  std::map<std::string, int> family_rank;
  for (const auto& [family, rows] : by_family) {
    int worst = worst_first_rank(status::pass);
    for (const result_row* row : rows)
      if (worst_first_rank(row_verdict(*row)) < worst_first_rank(status::skip))
        worst = std::min(worst, worst_first_rank(row_verdict(*row)));
    family_rank[family] = worst;
  }
  std::stable_sort(
      families.begin(), families.end(),
      [&](const std::string& a, const std::string& b) { return family_rank[a] < family_rank[b]; });
  std::string& h = p.html();
  if (families.empty()) {
    h += "<section id=\"results\"><h2>Results</h2><p>No results in this report.</p></section>\n";
    return;
  }
  h += "<nav>Families:";
  for (const std::string& f : families)
    h += " <a href=\"#" + anchor("family-", f) + "\">" + html_escape(f) + "</a>";
  h += "</nav>\n";
  for (const std::string& f : families) {
    const std::vector<const result_row*> rows = rows_worst_first(by_family[f]);
    h += "<section id=\"" + anchor("family-", f) + "\">\n<h2>" + html_escape(f) + " (" +
         std::to_string(rows.size()) + " rows)</h2>\n";
    family_charts(p, r, f, rows);
    family_table(p.html(), rows);
    p.html() += "</section>\n";
  }
}

void report_body(page& p, const html_source& src) {
  header_section(p, src);
  checks_section(p, *src.report);
  problems_section(p, *src.report);
  families_section(p, *src.report);
}

std::string default_title(const run_report& r) {
  return "wslcuda " + (r.command.empty() ? std::string("report") : r.command) + ": " +
         gpu_model(r) + ", " + r.started_at;
}

// ---- several reports -----------------------------------------------------------------------

struct trend_row {
  std::string id, family;
  std::vector<std::optional<double>> seconds;  // per report
  std::vector<std::optional<status>> statuses;
  double biggest_step = 0;  // |log| of the largest change between consecutive values
  std::size_t step_at = 0;  // index of the report after the step
  bool got_worse = false;   // a status became worse than in the first report
};

void trend_panel(page& p, const std::string& model, const std::vector<const html_source*>& srcs) {
  std::string& h = p.html();
  h += "<section id=\"" + anchor("trend-", model) + "\">\n<h2>Trend: " + html_escape(model) + " (" +
       std::to_string(srcs.size()) + " reports)</h2>\n";
  h += "<table><thead><tr><th>#</th><th>report</th><th>started</th><th>driver</th><th>verdict</th>"
       "<th>results</th></tr></thead><tbody>\n";
  // The x axis says "1", "2", … (the # column of this table); the tooltip names the report.
  json labels = json::array(), names = json::array();
  for (std::size_t i = 0; i < srcs.size(); ++i) {
    const run_report& r = *srcs[i]->report;
    labels.push_back(std::to_string(i + 1));
    names.push_back(std::to_string(i + 1) + ": " + srcs[i]->name);
    h += "<tr><td>" + std::to_string(i + 1) + "</td><td>" + html_escape(srcs[i]->name) +
         "</td><td>" + html_escape(r.started_at) + "</td><td>" + html_escape(driver_text(r)) +
         "</td><td>" + status_badge(overall_verdict(r)) + "</td><td>" +
         std::to_string(r.results.size()) + "</td></tr>\n";
  }
  h += "</tbody></table>\n";

  std::vector<std::string> order;
  std::map<std::string, trend_row> rows;
  for (std::size_t i = 0; i < srcs.size(); ++i) {
    for (const result_row& r : srcs[i]->report->results) {
      auto it = rows.find(r.id);
      if (it == rows.end()) {
        trend_row t;
        t.id = r.id;
        t.family = r.family;
        t.seconds.resize(srcs.size());
        t.statuses.resize(srcs.size());
        it = rows.emplace(r.id, std::move(t)).first;
        order.push_back(r.id);
      }
      it->second.statuses[i] = row_verdict(r);
      if (row_verdict(r) == status::pass || row_verdict(r) == status::warn)
        it->second.seconds[i] = central_seconds(r);
    }
  }
  for (auto& [id, t] : rows) {
    std::optional<double> prev;
    std::optional<status> first_status;
    for (std::size_t i = 0; i < t.seconds.size(); ++i) {
      if (t.statuses[i]) {
        if (!first_status) first_status = t.statuses[i];
        if (worst_first_rank(*t.statuses[i]) < worst_first_rank(*first_status) &&
            *t.statuses[i] != status::skip)
          t.got_worse = true;
      }
      const auto& v = t.seconds[i];
      if (!v || *v <= 0) continue;
      if (prev) {
        const double step = std::fabs(std::log(*v / *prev));
        if (step > t.biggest_step) {
          t.biggest_step = step;
          t.step_at = i;
        }
      }
      prev = v;
    }
  }
  std::vector<const trend_row*> sorted;
  for (const std::string& id : order) sorted.push_back(&rows[id]);
  std::stable_sort(sorted.begin(), sorted.end(), [](const trend_row* a, const trend_row* b) {
    if (a->got_worse != b->got_worse) return a->got_worse;
    return a->biggest_step > b->biggest_step;
  });

  // Per family: the rows that moved most, relative to their first value (> 1: faster).
  std::vector<std::string> families;
  for (const trend_row* t : sorted)
    if (std::find(families.begin(), families.end(), t->family) == families.end())
      families.push_back(t->family);
  constexpr std::size_t kLinesPerChart = 8;
  h += "<div class=\"charts\">\n";
  for (const std::string& f : families) {
    json series = json::array();
    std::size_t total = 0;
    for (const trend_row* t : sorted) {
      if (t->family != f) continue;
      std::optional<double> first;
      json values = json::array();
      std::size_t points = 0;
      for (const auto& v : t->seconds) {
        if (v && *v > 0 && !first) first = v;
        if (v && *v > 0) {
          values.push_back(*first / *v);
          ++points;
        } else {
          values.push_back(nullptr);
        }
      }
      if (points < 2) continue;
      ++total;
      if (series.size() < kLinesPerChart)
        series.push_back(json{{"label", t->id}, {"values", values}});
    }
    if (series.empty()) continue;
    p.chart(json{{"kind", "trend"},
                 {"title", f + ": the " + std::to_string(series.size()) + " of " +
                               std::to_string(total) + " rows that moved most"},
                 {"labels", labels},
                 {"names", names},
                 {"series", series}},
            340);
  }
  h += "</div>\n";

  h += "<h3>Every row, the one that moved most first</h3>\n<table><thead><tr><th>id</th>";
  for (std::size_t i = 0; i < srcs.size(); ++i) h += "<th>" + std::to_string(i + 1) + "</th>";
  h += "<th>time, last vs first</th><th>largest step</th></tr></thead><tbody>\n";
  for (const trend_row* t : sorted) {
    h += "<tr><td><code>" + html_escape(t->id) + "</code></td>";
    std::optional<double> first, last;
    for (std::size_t i = 0; i < t->seconds.size(); ++i) {
      const auto& v = t->seconds[i];
      h += "<td class=\"num\">";
      if (t->statuses[i] && *t->statuses[i] != status::pass)
        h += status_badge(*t->statuses[i]) + " ";
      if (v) {
        h += format_seconds(*v);
        if (!first) first = v;
        last = v;
      } else if (!t->statuses[i]) {
        h += "&ndash;";
      }
      h += "</td>";
    }
    std::string change, step;
    if (first && last && *first > 0) {
      const double time = *last / *first - 1.0;
      change = (time >= 0 ? "+" : "") + format_percent(time) +
               (time > 0   ? " (slower)"
                : time < 0 ? " (faster)"
                           : "");
    }
    if (t->biggest_step > 0)
      step = format_percent(std::exp(t->biggest_step) - 1.0) + " between " +
             std::to_string(t->step_at) + " and " + std::to_string(t->step_at + 1);
    h += "<td class=\"num\">" + html_escape(change) + "</td><td class=\"num\">" +
         html_escape(step) + "</td></tr>\n";
  }
  h += "</tbody></table>\n<p class=\"note\">Times are each row's central value (the median over "
       "executions of each execution's median); speed changes compare them. Failed, erroneous "
       "and skipped rows show their status instead.</p>\n</section>\n";
}

}  // namespace

void html_page::chart(json spec, int height) {
  if (options_.chart_js.empty()) return;
  const std::string id = "chart-" + std::to_string(charts_.size() + 1);
  spec["id"] = id;
  charts_.push_back(std::move(spec));
  // A figure holds the canvas and, for series charts, the legend the renderer writes below
  // it as HTML (wrapped text, never clipped by the canvas).
  body_ +=
      "<figure class=\"chart-box\"><div class=\"chart\" style=\"height:" + std::to_string(height) +
      "px\"><canvas id=\"" + id + "\" role=\"img\" aria-label=\"" +
      html_escape(charts_.back().value("title", "")) + "\"></canvas></div></figure>\n";
}

std::string html_page::finish(const std::string& title) const {
  std::string out;
  out.reserve(body_.size() + options_.chart_js.size() + 16384);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing may be fetched: the page is one file (a mail attachment, a CI artifact).
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n";
  out += "<meta name=\"generator\" content=\"wslcuda " + html_escape(tool_version()) + "\">\n";
  out += "<title>" + html_escape(title) + "</title>\n<style>" + std::string(kStyle) +
         "</style>\n<script>" + kErrorHook + "</script>\n";
  if (!options_.chart_js.empty()) out += "<script>\n" + options_.chart_js + "\n</script>\n";
  out += "</head>\n<body data-charts-expected=\"" + std::to_string(charts_.size()) + "\">\n";
  out += body_;
  out += "<ul id=\"script-errors\"></ul>\n";
  if (options_.chart_js.empty()) {
    out +=
        "<p class=\"note\">Charts are not available: this wslcuda was built without Chart.js "
        "(Debian package libjs-chart.js); the tables hold every number.</p>\n";
  }
  json data{{"palette", json::array()}, {"charts", charts_}};
  for (const char* c : kPalette) data["palette"].push_back(c);
  out +=
      "<script type=\"application/json\" id=\"wslcuda-data\">" + script_json(data) + "</script>\n";
  if (!options_.chart_js.empty()) out += "<script>" + std::string(kRenderer) + "</script>\n";
  out += "</body>\n</html>\n";
  return out;
}

std::string html_options::chart_js_library() {
  if (kEmbeddedChartJsSize > 0)
    return std::string(reinterpret_cast<const char*>(kEmbeddedChartJs), kEmbeddedChartJsSize);
  std::ifstream in("/usr/share/javascript/chart.js/chart.min.js", std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  return s.find("</script") == std::string::npos ? s : std::string();
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  // Control bytes and invalid UTF-8 first, as visible \xNN (as on the console): HTML has no
  // use for them, and a page that is saved or `cat`ed must not carry an escape sequence.
  for (const char c : terminal_safe(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

int worst_first_rank(status s) noexcept {
  switch (s) {
    case status::fail:
      return 0;
    case status::error:
      return 1;
    case status::warn:
      return 2;
    case status::skip:
      return 3;
    case status::pass:
      return 4;
  }
  return 5;
}

std::vector<const result_row*> rows_worst_first(const std::vector<const result_row*>& rows) {
  std::vector<const result_row*> out = rows;
  auto ratio = [](const result_row* r) {
    return r->baseline && r->baseline->ratio ? *r->baseline->ratio : HUGE_VAL;
  };
  auto fraction = [](const result_row* r) {
    return r->throughput && r->throughput->fraction_of_peak ? *r->throughput->fraction_of_peak
                                                            : HUGE_VAL;
  };
  std::stable_sort(out.begin(), out.end(), [&](const result_row* a, const result_row* b) {
    const int ra = worst_first_rank(row_verdict(*a)), rb = worst_first_rank(row_verdict(*b));
    if (ra != rb) return ra < rb;
    // Of equal verdicts, a measurement that failed (wrong results) before a judged slowdown.
    const int ma = worst_first_rank(a->status), mb = worst_first_rank(b->status);
    if (ma != mb) return ma < mb;
    // A gate verdict that is not pass comes before one that is.
    const int ga = a->baseline ? worst_first_rank(a->baseline->verdict) : 5;
    const int gb = b->baseline ? worst_first_rank(b->baseline->verdict) : 5;
    if (ga != gb && (ga < 3 || gb < 3)) return ga < gb;
    if (ratio(a) != ratio(b)) return ratio(a) < ratio(b);
    if (fraction(a) != fraction(b)) return fraction(a) < fraction(b);
    return a->id < b->id;
  });
  return out;
}

std::string html_report(const html_source& src, const html_options& options) {
  page p(options);
  report_body(p, src);
  return p.finish(options.title.empty() ? default_title(*src.report) : options.title);
}

std::string html_reports(const std::vector<html_source>& reports, const html_options& options) {
  if (reports.size() == 1) return html_report(reports.front(), options);
  if (reports.empty()) throw std::invalid_argument("html_reports: no report");
  page p(options);
  std::string& h = p.html();
  h += "<header><h1>wslcuda: " + std::to_string(reports.size()) + " reports</h1>\n";
  std::vector<std::string> models;
  std::map<std::string, std::vector<const html_source*>> by_model;
  for (const html_source& s : reports) {
    const std::string m = gpu_model(*s.report);
    if (!by_model.count(m)) models.push_back(m);
    by_model[m].push_back(&s);
  }
  h +=
      "<p>In the order given; one panel per GPU model. The last report follows in full.</p>\n<nav>";
  for (const std::string& m : models)
    h += "<a href=\"#" + anchor("trend-", m) + "\">" + html_escape(m) + "</a> ";
  h += "<a href=\"#latest\">last report</a></nav>\n</header>\n";
  for (const std::string& m : models) trend_panel(p, m, by_model[m]);
  h += "<div id=\"latest\">\n";
  report_body(p, reports.back());
  p.html() += "</div>\n";
  std::string title = options.title;
  if (title.empty()) {
    title = "wslcuda: " + std::to_string(reports.size()) + " reports";
    for (const std::string& m : models) title += ", " + m;
  }
  return p.finish(title);
}

}  // namespace wslcuda
