// Progressive enhancement only: pages work without it.
(function () {
  var box = document.querySelector('header input[type=search]');
  if (!box) return;
  var list = document.createElement('ul');
  list.className = 'suggest';
  box.parentNode.style.position = 'relative';
  box.parentNode.appendChild(list);
  var timer = null;
  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = box.value.trim();
      if (!q) { list.innerHTML = ''; return; }
      fetch('/api/suggest?q=' + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (d) {
        list.innerHTML = '';
        (d.suggestions || []).forEach(function (s) {
          var li = document.createElement('li'), a = document.createElement('a');
          a.href = s.href; a.textContent = s.label + ' · ' + s.type;
          li.appendChild(a); list.appendChild(li);
        });
      }).catch(function () {});
    }, 150);
  });
})();
