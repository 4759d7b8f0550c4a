<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>BackwardStepping</name>
    <message>
        <source>No tensor requires grad yet: make one with requires_grad=True, or pick a template.</source>
        <translation>아직 기울기가 필요한(requires_grad) 텐서가 없습니다. requires_grad=True로 텐서를 만들거나 템플릿을 고르세요.</translation>
    </message>
    <message>
        <source>PyTorch has no call that stops {name} retaining its grad: undo the line {line} to take it back.</source>
        <translation>PyTorch에는 {name}의 grad 유지를 멈추는 호출이 없습니다. 되돌리려면 {line} 줄을 실행 취소하세요.</translation>
    </message>
    <message>
        <source>That {shape} tensor is gone: no name holds it and autograd did not save it for backward. Name it in a line (h = ...) to keep it.</source>
        <translation>그 {shape} 텐서는 사라졌습니다. 이 텐서를 가리키는 이름이 없고, autograd도 역전파를 위해 저장하지 않았습니다. 남겨 두려면 코드 줄에서 이름을 붙이세요 (h = ...).</translation>
    </message>
    <message>
        <source>leaf {shape}</source>
        <translation>리프 {shape}</translation>
    </message>
    <message>
        <source>output of {node}</source>
        <translation>{node}의 출력</translation>
    </message>
    <message>
        <source>{node} saved no tensor for backward: it keeps nothing alive.</source>
        <translation>{node} 노드는 역전파용으로 저장한 텐서가 없어, 메모리에 남겨 두는 것도 없습니다.</translation>
    </message>
    <message>
        <source>{node} saved {key}, but: {problem}</source>
        <translation>{node} 노드가 {key} 텐서를 저장했지만 문제가 있습니다: {problem}</translation>
    </message>
    <message>
        <source>{node} saved {key} for backward: autograd keeps it alive</source>
        <translation>{node} 노드가 역전파용으로 저장한 {key} 텐서: autograd가 메모리에 남겨 둡니다</translation>
    </message>
    <message>
        <source>{line} failed: {error}</source>
        <translation>{line} 실패: {error}</translation>
    </message>
</context>
<context>
    <name>CodeText</name>
    <message>
        <source>SyntaxError: {message} (line {line}, column {column})</source>
        <translation>SyntaxError: {message} ({line}번째 줄, {column}번째 열)</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <source>(empty session)</source>
        <translation>(빈 세션)</translation>
    </message>
    <message>
        <source>a line such as  y = x.t()   (Up, Down: earlier lines)</source>
        <translation>예: y = x.t()   (위·아래 화살표: 이전에 입력한 줄)</translation>
    </message>
    <message>
        <source>Copy as PyTorch</source>
        <translation>PyTorch 코드로 복사</translation>
    </message>
    <message>
        <source>The history as a script that runs in PyTorch</source>
        <translation>기록을 PyTorch에서 그대로 실행되는 스크립트로 복사합니다</translation>
    </message>
    <message>
        <source>Copy lines</source>
        <translation>줄 복사</translation>
    </message>
    <message>
        <source>The history&apos;s lines, as they ran here</source>
        <translation>기록의 줄을 여기서 실행된 그대로 복사합니다</translation>
    </message>
</context>
<context>
    <name>ExceptionHook</name>
    <message>
        <source>StrideScope: unexpected error</source>
        <translation>StrideScope: 예기치 않은 오류</translation>
    </message>
    <message>
        <source>Your session is intact and the app keeps running. The details are in {path}.</source>
        <translation>세션은 그대로이며 앱도 계속 실행됩니다. 자세한 내용은 {path}에 있습니다.</translation>
    </message>
</context>
<context>
    <name>FormError</name>
    <message>
        <source>unknown dtype {value}: choose one of {choices}</source>
        <translation>알 수 없는 dtype {value}: {choices} 중 하나를 고르세요</translation>
    </message>
    <message>
        <source>unknown device {value}: choose one of {choices}</source>
        <translation>알 수 없는 장치 {value}: {choices} 중 하나를 고르세요</translation>
    </message>
    <message>
        <source>unknown fill {value}: choose one of {choices}</source>
        <translation>알 수 없는 채우기 방식 {value}: {choices} 중 하나를 고르세요</translation>
    </message>
    <message>
        <source>close the bracket: {shape}</source>
        <translation>괄호를 닫으세요: {shape}</translation>
    </message>
    <message>
        <source>a size is missing between two commas: type sizes such as 3, 4</source>
        <translation>두 쉼표 사이에 크기가 빠졌습니다: 3, 4처럼 크기를 입력하세요</translation>
    </message>
    <message>
        <source>at most {limit} dims, got {count}: use fewer sizes</source>
        <translation>차원은 최대 {limit}개인데 {count}개를 입력했습니다: 크기 수를 줄이세요</translation>
    </message>
    <message>
        <source>sizes are whole numbers such as 3, 4: {token} is not one</source>
        <translation>크기는 3, 4처럼 정수여야 합니다. 정수가 아닌 값: {token}</translation>
    </message>
    <message>
        <source>sizes must be 0 or more: {value} is only for view() and reshape()</source>
        <translation>크기는 0 이상이어야 합니다: {value} 값은 view()와 reshape()에서만 쓸 수 있습니다</translation>
    </message>
    <message>
        <source>sizes must be 0 or more, got {value}</source>
        <translation>크기는 0 이상이어야 합니다. 입력한 값: {value}</translation>
    </message>
    <message>
        <source>size {value} is too large: sizes go up to 2**31 ({limit})</source>
        <translation>크기가 너무 큽니다({value}): 크기는 최대 2**31 ({limit})입니다</translation>
    </message>
    <message>
        <source>{name} is not a name: use letters, digits and _; choose another, such as {suggestion}</source>
        <translation>{name}: 이름으로 쓸 수 없습니다. 문자, 숫자, _만 쓰고, {suggestion}처럼 다른 이름을 고르세요</translation>
    </message>
    <message>
        <source>{name} is taken by Python or the engine: choose another, such as {suggestion}</source>
        <translation>{name} 이름은 Python이나 엔진이 이미 씁니다: {suggestion}처럼 다른 이름을 고르세요</translation>
    </message>
    <message>
        <source>names starting with _ stay hidden: choose another, such as {suggestion}</source>
        <translation>_로 시작하는 이름은 숨겨집니다: {suggestion}처럼 다른 이름을 고르세요</translation>
    </message>
    <message>
        <source>{name} already names a tensor: choose another, such as {suggestion}</source>
        <translation>{name} 이름의 텐서가 이미 있습니다: {suggestion}처럼 다른 이름을 고르세요</translation>
    </message>
    <message>
        <source>{fill} draws random floats, and PyTorch has no {fill} for {dtype}: choose float32, float64 or float16</source>
        <translation>{fill} 방식은 무작위 실수를 만들며, PyTorch에는 {dtype}용 {fill} 함수가 없습니다: float32, float64, float16 중 하나를 고르세요</translation>
    </message>
    <message>
        <source>arange counts 0, 1, 2, ... and PyTorch has no arange for bool: choose a number dtype, or zeros or ones</source>
        <translation>arange는 0, 1, 2, ...로 수를 세며, PyTorch의 arange는 bool에서 쓸 수 없습니다: 숫자 dtype을 고르거나 zeros 또는 ones를 고르세요</translation>
    </message>
    <message>
        <source>{sizes} {dtype} needs {needed}, over the memory limit of {limit}: use a smaller shape or raise the limit in Preferences</source>
        <translation>{sizes} {dtype} 텐서에 필요한 메모리({needed})가 한도({limit})를 넘습니다: 더 작은 모양을 쓰거나 환경설정에서 한도를 높이세요</translation>
    </message>
    <message>
        <source>a 0-d {dtype} needs {needed}, over the memory limit of {limit}: use a smaller shape or raise the limit in Preferences</source>
        <translation>0차원 {dtype} 텐서에 필요한 메모리({needed})가 한도({limit})를 넘습니다: 더 작은 모양을 쓰거나 환경설정에서 한도를 높이세요</translation>
    </message>
</context>
<context>
    <name>GradientLabel</name>
    <message>
        <source>gradient {shape}</source>
        <translation>기울기 {shape}</translation>
    </message>
</context>
<context>
    <name>GraphPanel</name>
    <message>
        <source>The tensor to call backward() on</source>
        <translation>backward()를 호출할 텐서를 고릅니다</translation>
    </message>
    <message>
        <source>Keep the saved tensors after the pass, so that backward can run again</source>
        <translation>역전파가 끝난 뒤에도 저장된 텐서를 남겨 두어 backward를 다시 실행할 수 있게 합니다</translation>
    </message>
    <message>
        <source>Click a named non-leaf tensor to keep its .grad</source>
        <translation>이름이 있는 비리프 텐서를 클릭하면 그 텐서의 .grad를 남길 수 있습니다</translation>
    </message>
    <message>
        <source>What the clicked node saved for backward, lit in storage</source>
        <translation>클릭한 노드가 역전파를 위해 저장한 텐서를 저장소에 표시합니다</translation>
    </message>
    <message>
        <source>&amp;Templates</source>
        <translation>템플릿(&amp;T)</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>템플릿</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>맞춤</translation>
    </message>
    <message>
        <source>Shrink the graph to fit (Ctrl+wheel zooms)</source>
        <translation>그래프를 화면에 맞게 줄입니다 (Ctrl+휠로 확대/축소)</translation>
    </message>
    <message>
        <source>backward from</source>
        <translation>역전파 시작 텐서</translation>
    </message>
    <message>
        <source>{message}  (at {node})</source>
        <translation>{message}  ({node}에서)</translation>
    </message>
    <message>
        <source>saved {key}</source>
        <translation>저장된 {key}</translation>
    </message>
    <message>
        <source>saved {key} (gone)</source>
        <translation>저장된 {key} (사라짐)</translation>
    </message>
</context>
<context>
    <name>GraphTemplate</name>
    <message>
        <source>Scalar expression (micrograd): L = (a·b + c)·f</source>
        <translation>스칼라 식 (micrograd): L = (a·b + c)·f</translation>
    </message>
    <message>
        <source>Linear layer: (x @ w + b).relu().sum()</source>
        <translation>선형 층: (x @ w + b).relu().sum()</translation>
    </message>
    <message>
        <source>Broadcasting: a + b with shapes (3, 1) and (4,)</source>
        <translation>브로드캐스팅: 모양이 (3, 1)과 (4,)인 a + b</translation>
    </message>
    <message>
        <source>A view in the middle: x.t()[1:]</source>
        <translation>중간에 있는 뷰: x.t()[1:]</translation>
    </message>
    <message>
        <source>A tensor used twice: x * x + x</source>
        <translation>두 번 쓰이는 텐서: x * x + x</translation>
    </message>
    <message>
        <source>An in-place op on a view: y[:2].mul_(3)</source>
        <translation>뷰에 대한 제자리(in-place) 연산: y[:2].mul_(3)</translation>
    </message>
    <message>
        <source>Two-layer MLP with views: w2.t() and .view(8)</source>
        <translation>뷰가 들어간 2층 MLP: w2.t()와 .view(8)</translation>
    </message>
    <message>
        <source>Mistake: backward twice without retain_graph</source>
        <translation>실수: retain_graph 없이 backward를 두 번 호출</translation>
    </message>
    <message>
        <source>Mistake: an in-place change to a tensor backward needs</source>
        <translation>실수: 역전파에 필요한 텐서를 제자리(in-place) 연산으로 변경</translation>
    </message>
</context>
<context>
    <name>Highlight</name>
    <message>
        <source>storage[{index}] is read by {count} element</source>
        <translation>storage[{index}] 원소를 읽는 원소 {count}개</translation>
    </message>
    <message>
        <source>storage[{index}] is read by {count} elements</source>
        <translation>storage[{index}] 원소를 읽는 원소 {count}개</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>No tensor yet</source>
        <translation>아직 텐서가 없습니다</translation>
    </message>
    <message>
        <source>Run a line such as
{code}</source>
        <translation>다음과 같은 줄을 실행해 보세요
{code}</translation>
    </message>
    <message>
        <source>Hover an element to see where it lives in storage.</source>
        <translation>원소 위에 마우스를 올리면 그 원소가 저장소의 어디에 있는지 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>{element} → storage index {formula}</source>
        <translation>{element} → 저장소 인덱스 {formula}</translation>
    </message>
    <message>
        <source>address {address}</source>
        <translation>주소 {address}</translation>
    </message>
</context>
<context>
    <name>LessonAnswers</name>
    <message>
        <source>Right!</source>
        <translation>정답입니다!</translation>
    </message>
    <message>
        <source>Not quite. Try again.</source>
        <translation>아쉽습니다. 다시 해 보세요.</translation>
    </message>
    <message>
        <source>Not quite: the answer is True or False.</source>
        <translation>아쉽습니다. 답은 True 또는 False입니다.</translation>
    </message>
    <message>
        <source>Not quite: the answer is one number.</source>
        <translation>아쉽습니다. 답은 숫자 하나입니다.</translation>
    </message>
    <message>
        <source>Not quite: the answer is one value in a tuple: (3,).</source>
        <translation>아쉽습니다. 답은 값 하나가 든 튜플입니다: (3,).</translation>
    </message>
    <message>
        <source>Not quite: the answer has {count} values.</source>
        <translation>아쉽습니다. 답은 값 {count}개로 이루어져 있습니다.</translation>
    </message>
    <message>
        <source>Not quite: the answer is a dtype.</source>
        <translation>아쉽습니다. 답은 dtype입니다.</translation>
    </message>
    <message>
        <source>Type an answer first.</source>
        <translation>먼저 답을 입력하세요.</translation>
    </message>
    <message>
        <source>“{text}” is code: type the value it gives, not the code.</source>
        <translation>“{text}”처럼 코드를 입력하지 말고, 그 코드가 내는 값을 입력하세요.</translation>
    </message>
    <message>
        <source>“{text}” is not a value.</source>
        <translation>값이 아닌 것을 입력했습니다: “{text}”.</translation>
    </message>
    <message>
        <source>Could not read “{text}”.</source>
        <translation>입력한 내용을 읽을 수 없습니다: “{text}”.</translation>
    </message>
    <message>
        <source>Type True or False (yes or no).</source>
        <translation>True 또는 False(예 또는 아니요)를 입력하세요.</translation>
    </message>
    <message>
        <source>Type a number, such as 12.</source>
        <translation>12처럼 숫자를 입력하세요.</translation>
    </message>
    <message>
        <source>Type the values separated by commas, such as (2, 3).</source>
        <translation>(2, 3)처럼 값을 쉼표로 구분해 입력하세요.</translation>
    </message>
    <message>
        <source>Type a dtype, such as float32.</source>
        <translation>float32처럼 dtype을 입력하세요.</translation>
    </message>
    <message>
        <source>Type a word.</source>
        <translation>단어를 입력하세요.</translation>
    </message>
    <message>
        <source>Type a value, such as (2, 3).</source>
        <translation>(2, 3)처럼 값을 입력하세요.</translation>
    </message>
</context>
<context>
    <name>LessonPlayer</name>
    <message>
        <source>{number}. {title}</source>
        <translation>{number}. {title}</translation>
    </message>
    <message>
        <source>Choose a lesson…</source>
        <translation>수업을 고르세요…</translation>
    </message>
    <message>
        <source>Choose a lesson above, or from the Lessons menu.</source>
        <translation>위 목록이나 수업 메뉴에서 수업을 고르세요.</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>다시 실행</translation>
    </message>
    <message>
        <source>Run this step&apos;s code once more</source>
        <translation>이 단계의 코드를 한 번 더 실행합니다</translation>
    </message>
    <message>
        <source>As expected, the last line fails:</source>
        <translation>예상대로 마지막 줄이 실패합니다:</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>이전</translation>
    </message>
    <message>
        <source>The step before (Page Up)</source>
        <translation>이전 단계로 갑니다 (Page Up)</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <source>The next step (Page Down)</source>
        <translation>다음 단계로 갑니다 (Page Down)</translation>
    </message>
    <message>
        <source>Open a lesson</source>
        <translation>수업 열기</translation>
    </message>
    <message>
        <source>Lessons (*.toml);;All files (*)</source>
        <translation>수업 (*.toml);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>These lesson files could not be used:
{errors}</source>
        <translation>다음 수업 파일은 쓸 수 없습니다:
{errors}</translation>
    </message>
    <message>
        <source>The lesson could not be read: {error}</source>
        <translation>수업 파일을 읽을 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Step {number} of {count}</source>
        <translation>{count}단계 중 {number}단계</translation>
    </message>
    <message>
        <source>Undo took back what this step ran: press Run again to run it once more.</source>
        <translation>실행 취소로 이 단계에서 실행한 코드가 되돌려졌습니다. 다시 실행을 눌러 한 번 더 실행하세요.</translation>
    </message>
    <message>
        <source>This step&apos;s code did not run as the lesson says: {error}
If you changed its tensors in the console, undo those lines (Ctrl+Z) and press Run again.</source>
        <translation>이 단계의 코드가 수업에서 말한 대로 실행되지 않았습니다: {error}
콘솔에서 이 단계의 텐서를 바꿨다면 그 줄을 되돌리고(Ctrl+Z) 다시 실행을 누르세요.</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>질문</translation>
    </message>
    <message>
        <source>Your answer, then Enter</source>
        <translation>답을 입력하고 Enter</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>확인</translation>
    </message>
    <message>
        <source>Show answer</source>
        <translation>정답 보기</translation>
    </message>
    <message>
        <source>This step&apos;s code did not run, so there is nothing to check against: press Run again first.</source>
        <translation>이 단계의 코드가 실행되지 않아 답을 확인할 수 없습니다. 먼저 다시 실행을 누르세요.</translation>
    </message>
    <message>
        <source>Hint: {hint}</source>
        <translation>힌트: {hint}</translation>
    </message>
    <message>
        <source>Answer: {answer}</source>
        <translation>정답: {answer}</translation>
    </message>
</context>
<context>
    <name>LineForm</name>
    <message>
        <source>{name}   (empty: the next free name)</source>
        <translation>{name}   (비워 두면 다음으로 쓸 수 있는 이름)</translation>
    </message>
</context>
<context>
    <name>LinePlan</name>
    <message>
        <source>&apos;{name}&apos; is the engine here (core, or torch as you would write it): keep it, and choose another name</source>
        <translation>여기서 &apos;{name}&apos; 이름은 엔진을 가리킵니다 (core, 또는 PyTorch에서 쓰듯 torch): 그대로 두고 다른 이름을 고르세요</translation>
    </message>
</context>
<context>
    <name>LineageBar</name>
    <message>
        <source>a copy: new storage</source>
        <translation>복사본: 새 저장소</translation>
    </message>
    <message>
        <source>Lineage: select a tensor to see how it was made.</source>
        <translation>계보: 텐서를 선택하면 어떻게 만들어졌는지 볼 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>LogicalGrid</name>
    <message>
        <source>{label}  ·  shape {shape}  ·  stride {stride}  ·  offset {offset}</source>
        <translation>{label}  ·  모양 {shape}  ·  스트라이드 {stride}  ·  오프셋 {offset}</translation>
    </message>
    <message>
        <source>The dim that runs down each tile</source>
        <translation>각 타일에서 세로 방향으로 놓이는 차원입니다</translation>
    </message>
    <message>
        <source>The dim that runs across each tile</source>
        <translation>각 타일에서 가로 방향으로 놓이는 차원입니다</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>행</translation>
    </message>
    <message>
        <source>columns</source>
        <translation>열</translation>
    </message>
    <message>
        <source>No tensor shown</source>
        <translation>표시된 텐서가 없습니다</translation>
    </message>
    <message>
        <source>  ·  in rows of {width}</source>
        <translation>  ·  한 행에 {width}개씩</translation>
    </message>
    <message>
        <source>dim {dim}  ({size})</source>
        <translation>차원 {dim}  ({size})</translation>
    </message>
    <message>
        <source> → byte {address}</source>
        <translation> → 바이트 {address}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Light theme</source>
        <translation>밝은 테마</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>어두운 테마</translation>
    </message>
    <message>
        <source>Build a tensor</source>
        <translation>텐서 만들기</translation>
    </message>
    <message>
        <source>Apply an operation</source>
        <translation>연산 적용</translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation>텐서 목록</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>검사기</translation>
    </message>
    <message>
        <source>Console and history</source>
        <translation>콘솔과 기록</translation>
    </message>
    <message>
        <source>Backward graph</source>
        <translation>역전파 그래프</translation>
    </message>
    <message>
        <source>Timing: CPU and GPU</source>
        <translation>시간 측정: CPU와 GPU</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>수업</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>Copy history as &amp;PyTorch</source>
        <translation>기록을 PyTorch 코드로 복사(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>환경설정(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>확대(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>축소(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit to window</source>
        <translation>창에 맞추기(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>수업(&amp;L)</translation>
    </message>
    <message>
        <source>No lessons found</source>
        <translation>수업을 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>Open Lesson &amp;File…</source>
        <translation>수업 파일 열기(&amp;F)…</translation>
    </message>
    <message>
        <source>No timings of {experiment} yet: press Run to measure.</source>
        <translation>아직 {experiment} 측정 결과가 없습니다. 실행을 눌러 측정하세요.</translation>
    </message>
    <message>
        <source>History copied as a PyTorch script</source>
        <translation>기록을 PyTorch 스크립트로 복사했습니다</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>환경설정</translation>
    </message>
    <message>
        <source>Memory limit for one tensor (MiB):
larger allocations are refused before they happen.</source>
        <translation>텐서 하나의 메모리 한도(MiB):
이보다 큰 할당은 실행 전에 거절됩니다.</translation>
    </message>
</context>
<context>
    <name>NodeItem</name>
    <message>
        <source>step {number}</source>
        <translation>{number}단계</translation>
    </message>
    <message>
        <source>{name}: leaf, shape {shape}, {dtype}</source>
        <translation>{name}: 리프, 모양 {shape}, {dtype}</translation>
    </message>
    <message>
        <source>{name}: non-leaf, shape {shape}, {dtype}</source>
        <translation>{name}: 비리프, 모양 {shape}, {dtype}</translation>
    </message>
    <message>
        <source>no name</source>
        <translation>이름 없음</translation>
    </message>
    <message>
        <source>+{count} hidden</source>
        <translation>+{count}개 숨김</translation>
    </message>
    <message>
        <source>leaf</source>
        <translation>리프</translation>
    </message>
    <message>
        <source>root</source>
        <translation>루트</translation>
    </message>
    <message>
        <source>retains grad</source>
        <translation>grad 유지</translation>
    </message>
</context>
<context>
    <name>OperationForm</name>
    <message>
        <source>(takes no arguments)</source>
        <translation>(인자 없음)</translation>
    </message>
    <message>
        <source>(no tensor yet: build one)</source>
        <translation>(아직 텐서가 없습니다: 먼저 만드세요)</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>텐서</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>연산</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>인자</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>새 이름</translation>
    </message>
    <message>
        <source>build a tensor first: there is nothing to apply it to</source>
        <translation>먼저 텐서를 만드세요: 연산을 적용할 텐서가 없습니다</translation>
    </message>
    <message>
        <source>such as {example}</source>
        <translation>예: {example}</translation>
    </message>
</context>
<context>
    <name>PresenterMode</name>
    <message>
        <source>&amp;Presenter mode</source>
        <translation>발표 모드(&amp;P)</translation>
    </message>
    <message>
        <source>Large text, high contrast and only the panels a lecture needs; F5 again puts the window back</source>
        <translation>큰 글자와 높은 대비로 강의에 필요한 패널만 보여 줍니다. F5를 다시 누르면 창이 원래대로 돌아갑니다</translation>
    </message>
</context>
<context>
    <name>RecoveryBar</name>
    <message>
        <source>Restore</source>
        <translation>복원</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>버리기</translation>
    </message>
    <message>
        <source>StrideScope closed unexpectedly. Restore the session from {time} (1 line)?</source>
        <translation>StrideScope가 예기치 않게 종료되었습니다. {time}의 세션(1줄)을 복원할까요?</translation>
    </message>
    <message>
        <source>StrideScope closed unexpectedly. Restore the session from {time} ({count} lines)?</source>
        <translation>StrideScope가 예기치 않게 종료되었습니다. {time}의 세션({count}줄)을 복원할까요?</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Nothing to run: type a line such as  {code}</source>
        <translation>실행할 내용이 없습니다. 다음과 같이 한 줄을 입력하세요:  {code}</translation>
    </message>
    <message>
        <source>replaying {code} failed: {message}</source>
        <translation>{code} 줄을 다시 실행하지 못했습니다: {message}</translation>
    </message>
</context>
<context>
    <name>SessionFiles</name>
    <message>
        <source>&amp;New</source>
        <translation>새로 만들기(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 파일 열기(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>다른 이름으로 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Opened {file}</source>
        <translation>{file} 파일을 열었습니다</translation>
    </message>
    <message>
        <source>{file}: {error}</source>
        <translation>{file}: {error}</translation>
    </message>
    <message>
        <source>{file}, line {line}: {error}</source>
        <translation>{file}, {line}번째 줄: {error}</translation>
    </message>
    <message>
        <source>recovered session</source>
        <translation>복구한 세션</translation>
    </message>
    <message>
        <source>Could not save {file}: {error}. Save it elsewhere (File &gt; Save As…).</source>
        <translation>{file} 파일을 저장하지 못했습니다: {error}. 다른 곳에 저장하세요 (파일 &gt; 다른 이름으로 저장…).</translation>
    </message>
    <message>
        <source>Saved {file}</source>
        <translation>{file}에 저장했습니다</translation>
    </message>
    <message>
        <source>Untitled session</source>
        <translation>제목 없는 세션</translation>
    </message>
    <message>
        <source>{file}[*] — StrideScope</source>
        <translation>{file}[*] — StrideScope</translation>
    </message>
    <message>
        <source>No longer found, so not listed: {files}</source>
        <translation>더 이상 찾을 수 없어 목록에서 뺐습니다: {files}</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>최근 파일 없음</translation>
    </message>
    <message>
        <source>&amp;Clear the list</source>
        <translation>목록 지우기(&amp;C)</translation>
    </message>
    <message>
        <source>Save the changes to {file}?</source>
        <translation>{file}의 변경 내용을 저장할까요?</translation>
    </message>
    <message>
        <source>Changes not saved are lost.</source>
        <translation>저장하지 않은 변경 내용은 사라집니다.</translation>
    </message>
    <message>
        <source>{file} already exists. Replace it?</source>
        <translation>{file} 파일이 이미 있습니다. 바꿀까요?</translation>
    </message>
    <message>
        <source>Open a session</source>
        <translation>세션 열기</translation>
    </message>
    <message>
        <source>Python scripts (*.py);;All files (*)</source>
        <translation>Python 스크립트 (*.py);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Save the session</source>
        <translation>세션 저장</translation>
    </message>
    <message>
        <source>Autosave failed: {reason}</source>
        <translation>자동 저장에 실패했습니다: {reason}</translation>
    </message>
    <message>
        <source>not a UTF-8 text file: save it as UTF-8 text and open it again</source>
        <translation>UTF-8 텍스트 파일이 아닙니다: UTF-8 텍스트로 저장한 뒤 다시 여세요</translation>
    </message>
</context>
<context>
    <name>StepControls</name>
    <message>
        <source>0.25 s</source>
        <translation>0.25초</translation>
    </message>
    <message>
        <source>0.5 s</source>
        <translation>0.5초</translation>
    </message>
    <message>
        <source>1 s</source>
        <translation>1초</translation>
    </message>
    <message>
        <source>2 s</source>
        <translation>2초</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>초기화</translation>
    </message>
    <message>
        <source>Back to before the pass: .grad as it was</source>
        <translation>역전파 전으로 돌아갑니다: .grad도 원래대로 돌아갑니다</translation>
    </message>
    <message>
        <source>Step back</source>
        <translation>이전 단계</translation>
    </message>
    <message>
        <source>Show the step before (←)</source>
        <translation>이전 단계를 보여 줍니다 (←)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>Step on a timer (Space)</source>
        <translation>타이머에 맞춰 한 단계씩 진행합니다 (Space)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>다음 단계</translation>
    </message>
    <message>
        <source>Run the next node (→)</source>
        <translation>다음 노드를 실행합니다 (→)</translation>
    </message>
    <message>
        <source>Run to end</source>
        <translation>끝까지 실행</translation>
    </message>
    <message>
        <source>Run every node left: the line backward() joins the history</source>
        <translation>남은 노드를 모두 실행합니다: backward() 줄이 기록에 추가됩니다</translation>
    </message>
    <message>
        <source>Play&apos;s speed: the time between two steps</source>
        <translation>재생할 때 두 단계 사이의 시간입니다</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시정지</translation>
    </message>
    <message>
        <source>Backward again</source>
        <translation>다시 역전파</translation>
    </message>
    <message>
        <source>ready: step 0</source>
        <translation>준비: 0단계</translation>
    </message>
    <message>
        <source>step 0</source>
        <translation>0단계</translation>
    </message>
    <message>
        <source>step {number} of {count}</source>
        <translation>{count}단계 중 {number}단계</translation>
    </message>
</context>
<context>
    <name>StepDescription</name>
    <message>
        <source>{shape} values (hover its edge)</source>
        <translation>모양 {shape}의 값 (간선에 마우스를 올리면 보입니다)</translation>
    </message>
    <message>
        <source>leaf {shape}</source>
        <translation>리프 {shape}</translation>
    </message>
    <message>
        <source>{shape} output of {node}</source>
        <translation>{node}의 {shape} 출력</translation>
    </message>
    <message>
        <source>Ready: {line}</source>
        <translation>준비: {line}</translation>
    </message>
    <message>
        <source>Ready: {line} (call {number}: adds to .grad)</source>
        <translation>준비: {line} ({number}번째 호출: .grad에 더해집니다)</translation>
    </message>
    <message>
        <source>Step (→) runs the first node; Play (Space) runs them on a timer.</source>
        <translation>다음 단계(→)는 첫 노드를 실행하고, 재생(Space)은 타이머에 맞춰 노드를 차례로 실행합니다.</translation>
    </message>
    <message>
        <source>next</source>
        <translation>다음</translation>
    </message>
    <message>
        <source>{line} cannot start: see the error below</source>
        <translation>{line} 실행을 시작할 수 없습니다. 아래 오류를 확인하세요</translation>
    </message>
    <message>
        <source>rule</source>
        <translation>규칙</translation>
    </message>
    <message>
        <source>Step {number} of {count} · {node} failed (see below)</source>
        <translation>{count}단계 중 {number}단계 · {node} 실패 (아래 참고)</translation>
    </message>
    <message>
        <source>to {target}: {gradient}</source>
        <translation>{target} 쪽으로: {gradient}</translation>
    </message>
    <message>
        <source>sends</source>
        <translation>보냄</translation>
    </message>
    <message>
        <source>{line} is in the history. Step again for another backward call.</source>
        <translation>{line} 줄이 기록에 추가되었습니다. 한 단계 더 진행하면 backward를 다시 호출합니다.</translation>
    </message>
    <message>
        <source>{line} ran to the end.</source>
        <translation>{line} 실행을 마쳤습니다.</translation>
    </message>
    <message>
        <source>done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Step {number} of {count} · {node}</source>
        <translation>{count}단계 중 {number}단계 · {node}</translation>
    </message>
    <message>
        <source>{which} = {gradient}  (for {owner})</source>
        <translation>{which} = {gradient}  ({owner}에 대한 기울기)</translation>
    </message>
    <message>
        <source>arrives</source>
        <translation>도착</translation>
    </message>
</context>
<context>
    <name>StorageStrip</name>
    <message>
        <source>No tensor shown</source>
        <translation>표시된 텐서가 없습니다</translation>
    </message>
    <message>
        <source>storage of {label}  ·  {count} × {dtype}  ·  {nbytes} bytes</source>
        <translation>{label}의 저장소  ·  {count} × {dtype}  ·  {nbytes}바이트</translation>
    </message>
    <message>
        <source>{element} reads storage[{storage}]</source>
        <translation>{element}: storage[{storage}] 원소를 읽습니다</translation>
    </message>
    <message>
        <source>storage[{storage}] is not read by {label}</source>
        <translation>storage[{storage}]: {label}의 어떤 원소도 이 원소를 읽지 않습니다</translation>
    </message>
    <message>
        <source>storage[{storage}] is read by {count} elements of {label}: {listed}, … and {more} more</source>
        <translation>storage[{storage}] 원소를 읽는 {label}의 원소 {count}개: {listed}, … 외 {more}개</translation>
    </message>
    <message>
        <source>storage[{storage}] is read by {count} element of {label}: {listed}</source>
        <translation>storage[{storage}] 원소를 읽는 {label}의 원소 {count}개: {listed}</translation>
    </message>
    <message>
        <source>storage[{storage}] is read by {count} elements of {label}: {listed}</source>
        <translation>storage[{storage}] 원소를 읽는 {label}의 원소 {count}개: {listed}</translation>
    </message>
</context>
<context>
    <name>SweepControls</name>
    <message>
        <source>Experiments</source>
        <translation>실험</translation>
    </message>
    <message>
        <source>{description}: needs a GPU ({reason})</source>
        <translation>{description}: GPU가 필요합니다 ({reason})</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>cannot be timed here: {reason}</source>
        <translation>이 컴퓨터에서는 측정할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Sizes</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>elements per input (a matmul of n×n matrices counts n² elements)</source>
        <translation>입력 하나당 원소 수 (n×n 행렬의 matmul은 원소 n²개로 셉니다)</translation>
    </message>
    <message>
        <source>from, to</source>
        <translation>시작, 끝</translation>
    </message>
    <message>
        <source>Quick</source>
        <translation>빠른 측정</translation>
    </message>
    <message>
        <source>Full</source>
        <translation>전체 측정</translation>
    </message>
    <message>
        <source>sweep</source>
        <translation>측정 방식</translation>
    </message>
    <message>
        <source>Choose at least one experiment.</source>
        <translation>실험을 하나 이상 고르세요.</translation>
    </message>
    <message>
        <source>Choose at least one device.</source>
        <translation>장치를 하나 이상 고르세요.</translation>
    </message>
    <message>
        <source>The range runs from {smallest} down to {largest}: choose a smallest size at most the largest.</source>
        <translation>범위의 시작({smallest})이 끝({largest})보다 큽니다: 시작 크기를 끝 크기 이하로 고르세요.</translation>
    </message>
    <message>
        <source>No size of the chosen experiments lies between {smallest} and {largest} in the quick sweep: widen the range or choose Full.</source>
        <translation>빠른 측정에서는 고른 실험의 크기 중 {smallest}~{largest} 사이에 드는 것이 없습니다: 범위를 넓히거나 &apos;전체 측정&apos;을 고르세요.</translation>
    </message>
    <message>
        <source>No size of the chosen experiments lies between {smallest} and {largest} in the full sweep: widen the range.</source>
        <translation>전체 측정에서는 고른 실험의 크기 중 {smallest}~{largest} 사이에 드는 것이 없습니다: 범위를 넓히세요.</translation>
    </message>
    <message>
        <source>GPU (cuda): not available</source>
        <translation>GPU (cuda): 사용할 수 없음</translation>
    </message>
    <message>
        <source>{preset}: sizes {sizes} (matmul n = {sides}); {warmup} warm-up and {repeats} timed calls per point</source>
        <translation>{preset}: 크기 {sizes} (matmul n = {sides}); 점마다 예열 호출 {warmup}번, 측정 호출 {repeats}번</translation>
    </message>
</context>
<context>
    <name>TensorBuilder</name>
    <message>
        <source>such as 3, 4   (empty: a 0-d scalar)</source>
        <translation>예: 3, 4   (비워 두면 0차원 스칼라)</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>만들기</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>모양</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>채우기</translation>
    </message>
</context>
<context>
    <name>TensorFacts</name>
    <message>
        <source>— (owns its storage)</source>
        <translation>— (자체 저장소를 가짐)</translation>
    </message>
    <message>
        <source>view of</source>
        <translation>뷰의 원본</translation>
    </message>
    <message>
        <source>{owner} (the same tensor)</source>
        <translation>{owner} (같은 텐서)</translation>
    </message>
    <message>
        <source>{count} byte</source>
        <translation>{count}바이트</translation>
    </message>
    <message>
        <source>{count} bytes</source>
        <translation>{count}바이트</translation>
    </message>
    <message>
        <source>{count} element</source>
        <translation>원소 {count}개</translation>
    </message>
    <message>
        <source>{count} elements</source>
        <translation>원소 {count}개</translation>
    </message>
</context>
<context>
    <name>TensorList</name>
    <message>
        <source>own storage</source>
        <translation>자체 저장소</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>텐서</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>모양</translation>
    </message>
    <message>
        <source>storage</source>
        <translation>저장소</translation>
    </message>
    <message>
        <source>storage: {summary}</source>
        <translation>저장소: {summary}</translation>
    </message>
    <message>
        <source>same tensor as {owner}</source>
        <translation>같은 텐서: {owner}</translation>
    </message>
    <message>
        <source>view of {owner}</source>
        <translation>{owner}의 뷰</translation>
    </message>
</context>
<context>
    <name>TimingPanel</name>
    <message>
        <source>Show the recorded GPU run</source>
        <translation>기록된 GPU 측정 결과 표시</translation>
    </message>
    <message>
        <source>time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>throughput</source>
        <translation>처리량</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>no sweep yet</source>
        <translation>아직 측정 없음</translation>
    </message>
    <message>
        <source>Save CSV…</source>
        <translation>CSV 저장…</translation>
    </message>
    <message>
        <source>Save PNG…</source>
        <translation>PNG 저장…</translation>
    </message>
    <message>
        <source>Save SVG…</source>
        <translation>SVG 저장…</translation>
    </message>
    <message>
        <source>Open CSV…</source>
        <translation>CSV 열기…</translation>
    </message>
    <message>
        <source>Stop after the call being timed (Esc)</source>
        <translation>측정 중인 호출이 끝나면 멈춥니다 (Esc)</translation>
    </message>
    <message>
        <source>Plot</source>
        <translation>그래프</translation>
    </message>
    <message>
        <source>The recorded runs cannot be read: {error}</source>
        <translation>기록된 측정 결과를 읽을 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>recorded: {gpu}, {date}</source>
        <translation>기록: {gpu}, {date}</translation>
    </message>
    <message>
        <source>no recorded GPU run ships here</source>
        <translation>이 버전에는 기록된 GPU 측정 결과가 없습니다</translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Measuring; the plot fills in as rows arrive.</source>
        <translation>측정 중입니다. 결과가 나오는 대로 그래프가 채워집니다.</translation>
    </message>
    <message>
        <source>Cancelling after the current call…</source>
        <translation>현재 호출이 끝나면 취소합니다…</translation>
    </message>
    <message>
        <source>{experiment} on {device}: skipped: {reason}</source>
        <translation>{device}의 {experiment}: 건너뜀: {reason}</translation>
    </message>
    <message>
        <source>%v of %m · {label}</source>
        <translation>%v / %m · {label}</translation>
    </message>
    <message>
        <source>The sweep stopped: {message}</source>
        <translation>측정이 멈췄습니다: {message}</translation>
    </message>
    <message>
        <source>Cancelled: {measured} of {total} measured.</source>
        <translation>취소됨: {total}개 중 {measured}개를 측정했습니다.</translation>
    </message>
    <message>
        <source>Stopped by an error: {measured} of {total} measured.</source>
        <translation>오류로 멈춤: {total}개 중 {measured}개를 측정했습니다.</translation>
    </message>
    <message>
        <source>Done: {measured} measurements in {seconds} s.</source>
        <translation>완료: {seconds}초 동안 {measured}개를 측정했습니다.</translation>
    </message>
    <message>
        <source>showing {file}</source>
        <translation>{file} 표시 중</translation>
    </message>
    <message>
        <source>Opened {file}: {count} rows.</source>
        <translation>{file} 파일을 열었습니다: {count}행.</translation>
    </message>
    <message>
        <source>%v measured</source>
        <translation>%v개 측정함</translation>
    </message>
    <message>
        <source>The sweep stopped as the language changed; the rows measured are kept.</source>
        <translation>언어를 바꾸면서 측정을 멈췄습니다. 이미 잰 결과는 그대로 둡니다.</translation>
    </message>
    <message>
        <source>Open timing results</source>
        <translation>측정 결과 열기</translation>
    </message>
    <message>
        <source>Timing tables (*.csv);;All files (*)</source>
        <translation>측정 표 (*.csv);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Cannot open {file}: not a text file ({reason})</source>
        <translation>{file} 파일을 열 수 없습니다: 텍스트 파일이 아닙니다 ({reason})</translation>
    </message>
    <message>
        <source>Cannot open {file}: {reason}</source>
        <translation>{file} 파일을 열 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Timing tables (*.csv)</source>
        <translation>측정 표 (*.csv)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 이미지 (*.svg)</translation>
    </message>
    <message>
        <source>Save the results</source>
        <translation>결과 저장</translation>
    </message>
    <message>
        <source>Save the plot</source>
        <translation>그래프 저장</translation>
    </message>
    <message>
        <source>Cannot save {file}: {reason}</source>
        <translation>{file} 파일을 저장할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path}에 저장했습니다</translation>
    </message>
</context>
<context>
    <name>TimingPlot</name>
    <message>
        <source>Hover a point for its exact values.</source>
        <translation>점 위에 마우스를 올리면 정확한 값이 보입니다.</translation>
    </message>
    <message>
        <source>Press Run to time the experiments, or open a saved CSV</source>
        <translation>실행을 눌러 실험을 측정하거나, 저장된 CSV를 여세요</translation>
    </message>
    <message>
        <source>No throughput: this call moves no data</source>
        <translation>처리량 없음: 이 호출은 데이터를 옮기지 않습니다</translation>
    </message>
    <message>
        <source>n (n×n matrices)</source>
        <translation>n (n×n 행렬)</translation>
    </message>
    <message>
        <source>elements per input</source>
        <translation>입력 하나당 원소 수</translation>
    </message>
    <message>
        <source>throughput ({units}), higher is faster</source>
        <translation>처리량 ({units}), 높을수록 빠름</translation>
    </message>
    <message>
        <source>time per call (median), lower is faster</source>
        <translation>호출당 시간 (중앙값), 낮을수록 빠름</translation>
    </message>
    <message>
        <source>{curve} faster →</source>
        <translation>{curve} 더 빠름 →</translation>
    </message>
</context>
<context>
    <name>TimingResults</name>
    <message>
        <source>a + b, contiguous against transposed b</source>
        <translation>a + b, 연속 b와 전치된 b 비교</translation>
    </message>
    <message>
        <source>a @ b of n×n matrices</source>
        <translation>n×n 행렬의 a @ b</translation>
    </message>
    <message>
        <source>x.contiguous() of a transposed and of a contiguous x</source>
        <translation>전치된 x와 연속 x의 x.contiguous()</translation>
    </message>
    <message>
        <source>host-to-device and device-to-host copies</source>
        <translation>호스트→장치, 장치→호스트 복사</translation>
    </message>
    <message>
        <source>x.sum(dim) along the contiguous and the strided dim</source>
        <translation>연속인 차원과 건너뛰는 차원을 따른 x.sum(dim)</translation>
    </message>
    <message>
        <source>{curve} (recorded)</source>
        <translation>{curve} (기록)</translation>
    </message>
    <message>
        <source>{layout}: {gpu} overtakes {cpu} at about n = {power} ≈ {size} (between {below} and {above})</source>
        <translation>{layout}: n이 약 {power} ≈ {size}일 때부터 {gpu} 쪽이 {cpu}보다 빠릅니다 ({below}~{above} 사이)</translation>
    </message>
    <message>
        <source>{layout}: {gpu} overtakes {cpu} at about elements = {power} ≈ {size} (between {below} and {above})</source>
        <translation>{layout}: 원소 수가 약 {power} ≈ {size}일 때부터 {gpu} 쪽이 {cpu}보다 빠릅니다 ({below}~{above} 사이)</translation>
    </message>
    <message>
        <source>{layout}: {gpu} is faster than {cpu} at every size from {smallest} to {largest}</source>
        <translation>{layout}: {smallest}부터 {largest}까지 모든 크기에서 {gpu} 쪽이 {cpu}보다 빠릅니다</translation>
    </message>
    <message>
        <source>{layout}: {cpu} is faster than {gpu} at every size from {smallest} to {largest}</source>
        <translation>{layout}: {smallest}부터 {largest}까지 모든 크기에서 {cpu} 쪽이 {gpu}보다 빠릅니다</translation>
    </message>
    <message>
        <source>{layout}: {gpu} and {cpu} trade places from {smallest} to {largest}; {cpu} is faster at {largest}</source>
        <translation>{layout}: {smallest}부터 {largest}까지 {gpu}·{cpu} 중 빠른 쪽이 바뀝니다. {largest}에서는 {cpu} 쪽이 빠릅니다</translation>
    </message>
    <message>
        <source>No GPU to time here: {reason}. No recorded GPU run ships with this version, so only CPU curves show.</source>
        <translation>여기서는 GPU를 측정할 수 없습니다: {reason}. 이 버전에는 기록된 GPU 측정 결과가 없어 CPU 곡선만 표시합니다.</translation>
    </message>
    <message>
        <source>No GPU to time here: {reason}. The GPU curves were recorded on {gpu} on {date} (CuPy {cupy}, host {host}).</source>
        <translation>여기서는 GPU를 측정할 수 없습니다: {reason}. GPU 곡선은 {date}에 {gpu}에서 기록한 것입니다 (CuPy {cupy}, 호스트 {host}).</translation>
    </message>
    <message>
        <source>n = {n} ({side}×{side} matrices)</source>
        <translation>n = {n} ({side}×{side} 행렬)</translation>
    </message>
    <message>
        <source>{power} = {count} elements</source>
        <translation>원소 {power} = {count}개</translation>
    </message>
    <message>
        <source>{count} elements</source>
        <translation>원소 {count}개</translation>
    </message>
    <message>
        <source>median {median}, spread (IQR) {spread}</source>
        <translation>중앙값 {median}, 산포 (IQR) {spread}</translation>
    </message>
    <message>
        <source>no work</source>
        <translation>작업 없음</translation>
    </message>
</context>
<context>
    <name>ViewFailurePanel</name>
    <message>
        <source>view() cannot do this without a copy</source>
        <translation>view()는 복사 없이 이 작업을 할 수 없습니다</translation>
    </message>
    <message>
        <source>Use reshape (copies)</source>
        <translation>reshape 사용 (복사함)</translation>
    </message>
    <message>
        <source>contiguous() first</source>
        <translation>먼저 contiguous()</translation>
    </message>
    <message>
        <source>A view never moves data, so each new dim must walk the storage with one fixed stride. The dims of {receiver} fall into {run_count} separate runs in memory, and new dim {dim} (size {size}) would have to walk across runs {runs} and {last}: no single stride does that. Copy, then view:</source>
        <translation>뷰는 데이터를 옮기지 않으므로, 새 차원마다 하나의 고정된 스트라이드로 저장소를 따라가야 합니다. {receiver}의 차원들은 메모리에서 서로 떨어진 연속 구간 {run_count}개로 나뉘는데, 새 차원 {dim}(크기 {size})에서는 {runs}번과 {last}번 구간을 가로질러야 합니다. 스트라이드 하나로는 그렇게 할 수 없습니다. 복사한 뒤 뷰를 만드세요:</translation>
    </message>
    <message>
        <source>A view never moves data, so each new dim must walk the storage with one fixed stride. The dims of {receiver} fall into {run_count} separate runs in memory, and new dim {dim} (size {size}) would have to walk across two of them: no single stride does that. Copy, then view:</source>
        <translation>뷰는 데이터를 옮기지 않으므로, 새 차원마다 하나의 고정된 스트라이드로 저장소를 따라가야 합니다. {receiver}의 차원들은 메모리에서 서로 떨어진 연속 구간 {run_count}개로 나뉘는데, 새 차원 {dim}(크기 {size})에서는 그중 두 구간을 가로질러야 합니다. 스트라이드 하나로는 그렇게 할 수 없습니다. 복사한 뒤 뷰를 만드세요:</translation>
    </message>
    <message>
        <source>run {number}</source>
        <translation>구간 {number}</translation>
    </message>
    <message>
        <source>{receiver}: its dims, grouped into contiguous runs</source>
        <translation>{receiver}: 연속 구간별로 묶은 차원</translation>
    </message>
    <message>
        <source>.view({shape}): the dims it asks for</source>
        <translation>.view({shape}): 요청한 차원</translation>
    </message>
    <message>
        <source>↑ dim {dim} would span runs {runs}: no single stride</source>
        <translation>↑ 차원 {dim}: 구간 {runs}에 걸침, 스트라이드 하나로 불가</translation>
    </message>
    <message>
        <source>↑ dim {dim} would span two runs: no single stride</source>
        <translation>↑ 차원 {dim}: 두 구간에 걸침, 스트라이드 하나로 불가</translation>
    </message>
    <message>
        <source>dim {dim}</source>
        <translation>차원 {dim}</translation>
    </message>
    <message>
        <source>size {size}</source>
        <translation>크기 {size}</translation>
    </message>
    <message>
        <source>stride {stride}</source>
        <translation>스트라이드 {stride}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>ViewOperation</name>
    <message>
        <source>swap the two dims of a matrix: the strides swap, no data moves</source>
        <translation>행렬의 두 차원을 맞바꿉니다: 스트라이드만 바뀌고 데이터는 움직이지 않습니다</translation>
    </message>
    <message>
        <source>swap two dims</source>
        <translation>두 차원을 맞바꿉니다</translation>
    </message>
    <message>
        <source>reorder every dim</source>
        <translation>모든 차원의 순서를 바꿉니다</translation>
    </message>
    <message>
        <source>the same storage seen with a new shape; -1 infers one size</source>
        <translation>같은 저장소를 새 모양으로 봅니다. -1은 크기 하나를 추론합니다</translation>
    </message>
    <message>
        <source>like view, but copies when no strides can express the shape</source>
        <translation>view와 같지만, 어떤 스트라이드로도 그 모양을 나타낼 수 없으면 복사합니다</translation>
    </message>
    <message>
        <source>repeat size-1 dims with stride 0, without copying; -1 keeps a size</source>
        <translation>크기가 1인 차원을 스트라이드 0으로 복사 없이 반복합니다. -1은 크기를 그대로 둡니다</translation>
    </message>
    <message>
        <source>length elements from start along dim</source>
        <translation>dim을 따라 start부터 원소 length개</translation>
    </message>
    <message>
        <source>one index along dim; that dim goes</source>
        <translation>dim을 따라 인덱스 하나를 고릅니다. 그 차원은 사라집니다</translation>
    </message>
    <message>
        <source>windows of size elements, step apart, along dimension: a new last dim</source>
        <translation>dimension을 따라 step 간격으로 원소 size개짜리 창을 만듭니다: 새 마지막 차원이 생깁니다</translation>
    </message>
    <message>
        <source>any sizes and strides over the same storage; None keeps the offset</source>
        <translation>같은 저장소 위에 임의의 크기와 스트라이드를 지정합니다. None이면 오프셋을 그대로 둡니다</translation>
    </message>
    <message>
        <source>remove size-1 dims: every one, or only those given</source>
        <translation>크기가 1인 차원을 없앱니다: 전부, 또는 지정한 차원만</translation>
    </message>
    <message>
        <source>insert a dim of size 1 at dim</source>
        <translation>dim 위치에 크기 1인 차원을 넣습니다</translation>
    </message>
    <message>
        <source>merge dims start_dim to end_dim into one</source>
        <translation>start_dim부터 end_dim까지의 차원을 하나로 합칩니다</translation>
    </message>
    <message>
        <source>split dim into sizes</source>
        <translation>dim을 sizes로 나눕니다</translation>
    </message>
    <message>
        <source>the diagonal of dims dim1 and dim2, as a new last dim</source>
        <translation>dim1, dim2 차원의 대각선을 새 마지막 차원으로 꺼냅니다</translation>
    </message>
    <message>
        <source>move dims to new places, the others keep their order</source>
        <translation>차원을 새 위치로 옮깁니다. 나머지 차원은 순서를 유지합니다</translation>
    </message>
    <message>
        <source>index and slice as inside x[...]: such as 0, or 1:, ::2, or ..., None</source>
        <translation>x[...] 안에 쓰듯 인덱스와 슬라이스를 입력합니다. 예: 0, 또는 1:, ::2, 또는 ..., None</translation>
    </message>
    <message>
        <source>the tensor itself when contiguous, else a row-major copy</source>
        <translation>연속 텐서면 텐서 자신을, 아니면 행 우선(row-major) 복사본을 돌려줍니다</translation>
    </message>
    <message>
        <source>a copy in new storage</source>
        <translation>새 저장소에 복사합니다</translation>
    </message>
    <message>
        <source>the same storage, outside autograd&apos;s graph</source>
        <translation>같은 저장소를 쓰되 autograd 그래프 밖에 둡니다</translation>
    </message>
    <message>
        <source>every dim reversed (for a 2-d tensor, the same as t())</source>
        <translation>모든 차원의 순서를 뒤집습니다 (2차원 텐서에서는 t()와 같음)</translation>
    </message>
    <message>
        <source>unknown operation {operation}: choose one from the list</source>
        <translation>알 수 없는 연산 {operation}: 목록에서 고르세요</translation>
    </message>
    <message>
        <source>movedim takes two dims or two tuples of dims, such as 0, 1 or (0, 1), (1, 0)</source>
        <translation>movedim은 차원 두 개 또는 차원 튜플 두 개를 받습니다. 예: 0, 1 또는 (0, 1), (1, 0)</translation>
    </message>
    <message>
        <source>PyTorch warns on T for a {ndim}-d tensor, where it changes nothing: use a 2-d one</source>
        <translation>{ndim}차원 텐서에서 T는 아무것도 바꾸지 않아 PyTorch가 경고합니다: 2차원 텐서에 쓰세요</translation>
    </message>
    <message>
        <source>PyTorch warns on T for a {ndim}-d tensor: use permute({order}) to reverse its dims</source>
        <translation>{ndim}차원 텐서의 T에는 PyTorch가 경고합니다: 차원 순서를 뒤집으려면 permute({order})를 쓰세요</translation>
    </message>
    <message>
        <source>{operation} takes no arguments: clear the arguments field</source>
        <translation>{operation} 연산은 인자를 받지 않습니다: 인자 칸을 비우세요</translation>
    </message>
    <message>
        <source>type the arguments as in Python, such as {example}</source>
        <translation>Python에서처럼 인자를 입력하세요. 예: {example}</translation>
    </message>
    <message>
        <source>type the {argument} without a name, such as {example}</source>
        <translation>{argument} 인자는 이름 없이 입력하세요. 예: {example}</translation>
    </message>
    <message>
        <source>{operation} takes the new sizes, such as {example}, or () for a 0-d tensor</source>
        <translation>{operation} 연산은 새 크기를 받습니다. 예: {example}, 0차원 텐서라면 ()</translation>
    </message>
    <message>
        <source>{operation} has no argument {argument}: its arguments are {arguments}</source>
        <translation>{operation}에는 {argument} 인자가 없습니다: 인자는 {arguments}입니다</translation>
    </message>
    <message>
        <source>{operation} got {argument} twice: give it once</source>
        <translation>{operation}에 {argument} 인자를 두 번 주었습니다: 한 번만 주세요</translation>
    </message>
    <message>
        <source>{operation} needs {argument}: type a value for it</source>
        <translation>{operation}에는 {argument} 인자가 필요합니다: 값을 입력하세요</translation>
    </message>
    <message>
        <source>{operation} takes {least} to {most} arguments ({parameters}), got {given}</source>
        <translation>{operation} 연산은 인자를 {least}~{most}개 받습니다 ({parameters}). 입력한 인자: {given}개</translation>
    </message>
    <message>
        <source>{operation} takes {least} argument ({parameters}), got {given}</source>
        <translation>{operation} 연산은 인자를 {least}개 받습니다 ({parameters}). 입력한 인자: {given}개</translation>
    </message>
    <message>
        <source>{operation} takes {least} arguments ({parameters}), got {given}</source>
        <translation>{operation} 연산은 인자를 {least}개 받습니다 ({parameters}). 입력한 인자: {given}개</translation>
    </message>
    <message>
        <source>{operation}&apos;s {argument} must be ints, such as 2, 6; got {value}</source>
        <translation>{operation}의 {argument} 인자는 2, 6처럼 정수여야 합니다. 입력한 값: {value}</translation>
    </message>
    <message>
        <source>{operation}&apos;s {argument} must be a tuple of ints, such as (2, 3); got {value}</source>
        <translation>{operation}의 {argument} 인자는 (2, 3)처럼 정수 튜플이어야 합니다. 입력한 값: {value}</translation>
    </message>
    <message>
        <source>{operation}&apos;s {argument} must be a dim or a tuple of dims; got {value}</source>
        <translation>{operation}의 {argument} 인자는 차원 하나 또는 차원 튜플이어야 합니다. 입력한 값: {value}</translation>
    </message>
    <message>
        <source>{operation}&apos;s {argument} must be an int; got {value}</source>
        <translation>{operation}의 {argument} 인자는 정수여야 합니다. 입력한 값: {value}</translation>
    </message>
    <message>
        <source>{operation}&apos;s {argument} must be 0 or more; got {value}</source>
        <translation>{operation}의 {argument} 인자는 0 이상이어야 합니다. 입력한 값: {value}</translation>
    </message>
    <message>
        <source>permute takes one dim for each of the {ndim} dims, got {count}: such as {order}</source>
        <translation>permute에는 {ndim}개 차원을 하나씩 모두 적어야 하는데 {count}개를 입력했습니다. 예: {order}</translation>
    </message>
    <message>
        <source>expand&apos;s -1 keeps one of the tensor&apos;s {ndim} sizes, so it cannot stand for a new leading dim: give that dim&apos;s size</source>
        <translation>expand의 -1은 텐서의 크기 {ndim}개 중 하나를 그대로 두는 값이라 앞에 새로 생기는 차원에는 쓸 수 없습니다: 그 차원의 크기를 입력하세요</translation>
    </message>
    <message>
        <source>dim {dim} is out of range for a {ndim}-d tensor (unsqueeze adds one): use {low} to {high}</source>
        <translation>차원 {dim}: {ndim}차원 텐서의 범위를 벗어납니다 (unsqueeze는 차원을 하나 늘립니다). {low}부터 {high}까지 쓸 수 있습니다</translation>
    </message>
    <message>
        <source>dim {dim} is out of range for a {ndim}-d tensor: use {low} to {high}</source>
        <translation>차원 {dim}: {ndim}차원 텐서의 범위를 벗어납니다. {low}부터 {high}까지 쓸 수 있습니다</translation>
    </message>
    <message>
        <source>type what goes between the brackets, such as 0 or 1:, ::2</source>
        <translation>대괄호 안에 들어갈 내용을 입력하세요. 예: 0 또는 1:, ::2</translation>
    </message>
    <message>
        <source>index with ints, slices such as 1:3 or ::2, ... and None; {part} is none of these</source>
        <translation>인덱스에는 정수, 1:3이나 ::2 같은 슬라이스, ..., None을 쓰세요. 이 중 어느 것도 아닌 부분: {part}</translation>
    </message>
    <message>
        <source>an index holds one ... at most: remove the others</source>
        <translation>인덱스에는 ...을 하나만 쓸 수 있습니다: 나머지를 지우세요</translation>
    </message>
    <message>
        <source>too many indices for a {ndim}-d tensor: {used} given, at most {ndim}</source>
        <translation>{ndim}차원 텐서에 인덱스가 너무 많습니다: {used}개를 주었지만 최대 {ndim}개입니다</translation>
    </message>
    <message>
        <source>slice bounds are ints, such as 1:3 or ::2; {bound} is not one</source>
        <translation>슬라이스 경계는 1:3이나 ::2처럼 정수여야 합니다. 정수가 아닌 경계: {bound}</translation>
    </message>
    <message>
        <source>slice steps must be 1 or more (PyTorch cannot step backwards), got {step}</source>
        <translation>슬라이스 간격(step)은 1 이상이어야 합니다 (PyTorch는 거꾸로 건너뛸 수 없습니다). 입력한 값: {step}</translation>
    </message>
</context>
<context>
    <name>WindowExport</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 그림 (*.svg)</translation>
    </message>
    <message>
        <source>Memory views…</source>
        <translation>메모리 화면…</translation>
    </message>
    <message>
        <source>Backward graph…</source>
        <translation>역전파 그래프…</translation>
    </message>
    <message>
        <source>Timing…</source>
        <translation>시간 측정…</translation>
    </message>
    <message>
        <source>Lesson…</source>
        <translation>수업…</translation>
    </message>
    <message>
        <source>Console…</source>
        <translation>콘솔…</translation>
    </message>
    <message>
        <source>Inspector…</source>
        <translation>검사기…</translation>
    </message>
    <message>
        <source>E&amp;xport</source>
        <translation>내보내기(&amp;X)</translation>
    </message>
    <message>
        <source>Print-friendly light background</source>
        <translation>인쇄용 밝은 배경</translation>
    </message>
    <message>
        <source>Draw the picture in the light theme on white, whatever the theme on screen</source>
        <translation>화면의 테마와 관계없이 흰 바탕의 밝은 테마로 그림을 그립니다</translation>
    </message>
    <message>
        <source>Whole window…</source>
        <translation>창 전체…</translation>
    </message>
    <message>
        <source>Export as…</source>
        <translation>다른 이름으로 내보내기…</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path}에 저장했습니다</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>Could not save {name}.</source>
        <translation>{name} 파일을 저장하지 못했습니다.</translation>
    </message>
    <message>
        <source>{reason}

Choose another folder or file name and try again.</source>
        <translation>{reason}

다른 폴더나 파일 이름을 골라 다시 시도하세요.</translation>
    </message>
</context>
</TS>
